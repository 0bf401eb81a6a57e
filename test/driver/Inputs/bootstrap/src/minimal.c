/* The user-space loader: compiled by the host compiler, not a BPF program,
 * so `bpflint -p` without file names skips it. */
int main(void) { return 0; }
