#include <bpf/bpf_helpers.h>
#include <linux/bpf.h>

struct val {
  struct bpf_spin_lock lock;
  int cnt;
};
struct {
  __uint(type, BPF_MAP_TYPE_CGROUP_STORAGE);
  __type(key, struct bpf_cgroup_storage_key);
  __type(value, struct val);
} cls_map SEC(".maps");

SEC("cgroup_skb/egress")
int prog(struct __sk_buff *skb) {
  struct val *v = bpf_get_local_storage(&cls_map, 0); /* never NULL */
  bpf_spin_lock(&v->lock);
  v->cnt++;
  bpf_spin_unlock(&v->lock);
  return 1;
}
char _license[] SEC("license") = "GPL";
