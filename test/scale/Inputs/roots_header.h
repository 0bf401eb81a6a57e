// Inline functions of a header, as libbpf's and vmlinux-based headers have:
// never analysed on their own, only where a program calls them.
#ifndef ROOTS_HEADER_H
#define ROOTS_HEADER_H
static inline int hdr_fn0(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 0;
  return x > 0 ? x : 0;
}
static inline int hdr_fn1(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 1;
  return x > 1 ? x : 1;
}
static inline int hdr_fn2(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 2;
  return x > 2 ? x : 2;
}
static inline int hdr_fn3(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 3;
  return x > 3 ? x : 3;
}
static inline int hdr_fn4(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 4;
  return x > 4 ? x : 4;
}
static inline int hdr_fn5(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 5;
  return x > 5 ? x : 5;
}
static inline int hdr_fn6(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 6;
  return x > 6 ? x : 6;
}
static inline int hdr_fn7(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 7;
  return x > 7 ? x : 7;
}
static inline int hdr_fn8(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 8;
  return x > 8 ? x : 8;
}
static inline int hdr_fn9(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 9;
  return x > 9 ? x : 9;
}
static inline int hdr_fn10(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 10;
  return x > 10 ? x : 10;
}
static inline int hdr_fn11(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 11;
  return x > 11 ? x : 11;
}
static inline int hdr_fn12(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 12;
  return x > 12 ? x : 12;
}
static inline int hdr_fn13(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 13;
  return x > 13 ? x : 13;
}
static inline int hdr_fn14(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 14;
  return x > 14 ? x : 14;
}
static inline int hdr_fn15(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 15;
  return x > 15 ? x : 15;
}
static inline int hdr_fn16(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 16;
  return x > 16 ? x : 16;
}
static inline int hdr_fn17(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 17;
  return x > 17 ? x : 17;
}
static inline int hdr_fn18(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 18;
  return x > 18 ? x : 18;
}
static inline int hdr_fn19(int x) {
  for (int j = 0; j < 8; j++)
    x += j * 19;
  return x > 19 ? x : 19;
}
#endif
