/* A helper in a header: it takes the second lock while holding the first. */
static __attribute__((always_inline)) inline void
lock_both(struct bpf_spin_lock *a, struct bpf_spin_lock *b) {
  bpf_spin_lock(a);
  bpf_spin_lock(b);
  bpf_spin_unlock(b);
  bpf_spin_unlock(a);
}
