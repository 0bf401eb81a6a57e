/* Does not compile: the driver exits with status 2. */
#include "bpf_test.h"

SEC("tc")
int broken(void *ctx) {
  return undeclared_identifier;
}
