// bpflint-oracle: load each BPF program of an object alone into the running
// kernel and print the verifier's verdict, one line per program.
//
// The kernel verifier is the ground truth bpflint's diagnostics are checked
// against (DESIGN.md §7).  Nothing is pinned or attached; every object is
// closed again before the next program is tried.

// For memmem().
#define _GNU_SOURCE

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Large enough for the level-1 log of any program the tests use; overridable
// so the truncation path can be exercised.
#ifndef LOG_BUF_SIZE
#define LOG_BUF_SIZE (16u << 20)
#endif

static const char usage_text[] =
    "usage: bpflint-oracle [--probe] [--log] [--stats] OBJ.o [PROG ...]\n"
    "\n"
    "Load each program of OBJ.o (or only the named PROGs) alone into the\n"
    "running kernel and print one line per program:\n"
    "  <prog>: accept\n"
    "  <prog>: reject: <final verifier line or load failure>\n"
    "\n"
    "  --log    also print the full verifier log of each program, indented\n"
    "  --stats  also print the kernel's own statistics for each program:\n"
    "             <prog>: stats: insns N processed P time T us\n"
    "           (N instructions, P processed by the verifier, T its\n"
    "           'verification time'); without --log the verifier logs\n"
    "           statistics and errors only, so T is not inflated by logging\n"
    "  --probe  exit 0 if this kernel lets us load a trivial program, else 1\n"
    "  --help   show this text\n"
    "\n"
    "Exit status: 0 when all programs were processed, 2 on bad usage or an\n"
    "unreadable / non-BPF object.\n";

// Everything libbpf prints goes here instead of the terminal: map creation
// and other pre-verifier failures are only reported through this channel.
static struct {
  char *buf;
  size_t len, cap;
} captured;

static int capture_print(enum libbpf_print_level level, const char *fmt,
                         va_list args) {
  if (level == LIBBPF_DEBUG)
    return 0;
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n <= 0)
    return 0;
  if (captured.len + n + 1 > captured.cap) {
    size_t cap = captured.cap ? captured.cap : 4096;
    while (cap < captured.len + n + 1)
      cap *= 2;
    char *p = realloc(captured.buf, cap);
    if (!p)
      return 0;
    captured.buf = p;
    captured.cap = cap;
  }
  vsnprintf(captured.buf + captured.len, n + 1, fmt, args);
  captured.len += n;
  return n;
}

static void capture_reset(void) {
  captured.len = 0;
  if (captured.buf)
    captured.buf[0] = '\0';
}

// Verifier summary lines that follow the actual error; they say nothing
// about why the program was rejected.
static bool is_summary_line(const char *s, size_t n) {
  static const char *const prefixes[] = {
      "processed ",          "verification time", "stack depth",  "mark_read",
      "max_states_per_insn", "peak_states",       "total_states",
  };
  if (n == 0)
    return true;
  for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
    size_t len = strlen(prefixes[i]);
    if (n >= len && strncmp(s, prefixes[i], len) == 0)
      return true;
  }
  return false;
}

// Find the last meaningful line of LOG; returns its length and sets *start.
static size_t final_log_line(const char *log, const char **start) {
  const char *end = log + strlen(log);
  while (end > log) {
    const char *eol = end;
    while (eol > log && (eol[-1] == '\n' || eol[-1] == ' ' || eol[-1] == '\t' ||
                         eol[-1] == '\r'))
      eol--;
    const char *bol = eol;
    while (bol > log && bol[-1] != '\n')
      bol--;
    if (!is_summary_line(bol, eol - bol)) {
      *start = bol;
      return eol - bol;
    }
    end = bol;
  }
  return 0;
}

// Looks for libbpf's "map 'NAME': failed to create: MSG(-ERR)" warning.
static bool find_map_failure(char *out, size_t out_size) {
  const char *p = captured.buf;
  while (p && (p = strstr(p, "map '"))) {
    const char *name = p + 5;
    const char *q = strchr(name, '\'');
    if (!q)
      break;
    static const char tag[] = "': failed to create: ";
    if (strncmp(q, tag, sizeof(tag) - 1) == 0) {
      // libbpf writes "Invalid argument(-22)"; reshape to match our other
      // "(errno N)" reasons.
      const char *msg = q + sizeof(tag) - 1;
      int msg_len = (int)strcspn(msg, "\n");
      const char *paren = memchr(msg, '(', msg_len);
      int err = 0;
      if (paren && sscanf(paren, "(-%d)", &err) == 1)
        snprintf(out, out_size,
                 "map create failed: map '%.*s': %.*s (errno %d)",
                 (int)(q - name), name, (int)(paren - msg), msg, err);
      else
        snprintf(out, out_size, "map create failed: map '%.*s': %.*s",
                 (int)(q - name), name, msg_len, msg);
      return true;
    }
    p = q;
  }
  return false;
}

// When the kernel verifier never ran, libbpf's last specific warning names
// the cause (e.g. an unresolved extern); skip its generic follow-ups.
static size_t last_libbpf_warning(const char **start) {
  static const char *const generic[] = {
      "failed to load object",
      "BPF program load failed",
      "failed to load program",
      "failed to load: ",
      "permission error while running as root",
      "-- BEGIN PROG LOAD LOG --",
      "-- END PROG LOAD LOG --",
  };
  size_t found = 0;
  const char *p = captured.buf;
  while (p && *p) {
    size_t n = strcspn(p, "\n");
    bool skip = n == 0 || strncmp(p, "libbpf: ", 8) != 0;
    for (size_t i = 0; !skip && i < sizeof(generic) / sizeof(generic[0]); i++)
      skip = memmem(p, n, generic[i], strlen(generic[i])) != NULL;
    if (!skip) {
      *start = p;
      found = n;
    }
    p += n + (p[n] == '\n');
  }
  return found;
}

static void print_indented(const char *log) {
  const char *p = log;
  while (*p) {
    size_t n = strcspn(p, "\n");
    printf("    %.*s\n", (int)n, p);
    p += n + (p[n] == '\n');
  }
}

// Loads program NAME of PATH alone.  With LOG_BUF == NULL libbpf manages
// the log itself; that is the retry after the verifier overflowed our buffer.
// The log level for the program under test: 1 (the instruction trace, whose
// last line is the error), plus BPF_LOG_STATS (4) with --stats. Errors are
// logged at every level, so --stats alone uses 4: no trace, whose printing
// would count in the kernel's verification time.
static unsigned log_level = 1;

static int load_one(const char *path, const char *name, char *log_buf,
                    size_t log_size, unsigned *insn_cnt) {
  struct bpf_object *obj = bpf_object__open_file(path, NULL);
  int err = libbpf_get_error(obj);
  if (err)
    return err;
  struct bpf_program *prog;
  bpf_object__for_each_program(prog, obj) {
    bool self = strcmp(bpf_program__name(prog), name) == 0;
    bpf_program__set_autoload(prog, self);
    if (self && log_buf) {
      bpf_program__set_log_buf(prog, log_buf, log_size);
      bpf_program__set_log_level(prog, log_level);
    }
    if (self && insn_cnt)
      *insn_cnt = (unsigned)bpf_program__insn_cnt(prog);
  }
  err = bpf_object__load(obj);
  bpf_object__close(obj);
  return err;
}

// "processed P insns" and "verification time T usec" from a log with
// BPF_LOG_STATS; -1 when absent.
static void print_stats(const char *name, const char *log, unsigned insns) {
  long long processed = -1, usec = -1;
  const char *p = strstr(log, "processed ");
  if (p)
    sscanf(p, "processed %lld insns", &processed);
  p = strstr(log, "verification time ");
  if (p)
    sscanf(p, "verification time %lld usec", &usec);
  printf("%s: stats: insns %u processed %lld time %lld us\n", name, insns,
         processed, usec);
}

static bool show_stats = false;

static void report(const char *path, const char *name, char *log_buf,
                   bool show_log) {
  log_buf[0] = '\0';
  capture_reset();
  unsigned insns = 0;
  int err = load_one(path, name, log_buf, LOG_BUF_SIZE, &insns);
  char reason[512];
  const char *line;
  size_t n;

  // A full buffer makes the kernel fail even an acceptable program with
  // ENOSPC; the log still holds its tail, so only the verdict is in doubt.
  bool truncated = err == -ENOSPC && log_buf[0];
  if (truncated) {
    capture_reset();
    if (load_one(path, name, NULL, 0, NULL) == 0)
      err = 0;
  }

  if (!err) {
    printf("%s: accept\n", name);
  } else if (find_map_failure(reason, sizeof(reason))) {
    printf("%s: reject: %s\n", name, reason);
  } else if ((n = final_log_line(log_buf, &line)) > 0) {
    printf("%s: reject: %.*s\n", name, (int)n, line);
  } else {
    char msg[128];
    libbpf_strerror(err, msg, sizeof(msg));
    const char *prefix =
        (err == -EPERM || err == -EACCES) ? "not permitted: " : "";
    printf("%s: reject: %sload failed: %s (errno %d)", name, prefix, msg, -err);
    if ((n = last_libbpf_warning(&line)) > 0)
      printf(" [%.*s]", (int)n, line);
    printf("\n");
  }
  if (show_stats)
    print_stats(name, log_buf, insns);
  if (show_log) {
    if (truncated)
      printf("    ... (log truncated to its last %u bytes)\n", LOG_BUF_SIZE);
    print_indented(log_buf);
  }
  fflush(stdout);
}

static int probe(void) {
  const struct bpf_insn insns[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
      {.code = BPF_JMP | BPF_EXIT},
  };
  // XDP rather than a socket filter: like the programs under test it needs
  // CAP_BPF and CAP_NET_ADMIN, so an unprivileged pass means nothing.
  int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "bpflint_probe", "GPL", insns,
                         sizeof(insns) / sizeof(insns[0]), NULL);
  if (fd < 0) {
    int err = errno;
    fprintf(stderr, "bpflint-oracle: cannot load BPF programs: %s (errno %d)\n",
            strerror(err), err);
    return 1;
  }
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  bool show_log = false, do_probe = false;
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else if (strcmp(argv[i], "--log") == 0) {
      show_log = true;
    } else if (strcmp(argv[i], "--stats") == 0) {
      show_stats = true;
    } else if (strcmp(argv[i], "--probe") == 0) {
      do_probe = true;
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(usage_text, stdout);
      return 0;
    } else {
      fprintf(stderr, "bpflint-oracle: unknown option '%s'\n%s", argv[i],
              usage_text);
      return 2;
    }
  }

  if (show_stats)
    log_level = show_log ? 1 | 4 : 4;
  libbpf_set_print(capture_print);
  if (do_probe)
    return probe();

  if (i >= argc) {
    fputs(usage_text, stderr);
    return 2;
  }
  const char *path = argv[i++];
  char **names = argv + i;
  int n_names = argc - i;

  // Opened once up front to validate the object and the requested names.
  struct bpf_object *obj = bpf_object__open_file(path, NULL);
  int err = libbpf_get_error(obj);
  if (err) {
    char msg[128];
    libbpf_strerror(err, msg, sizeof(msg));
    fprintf(stderr, "bpflint-oracle: %s: cannot open BPF object: %s\n", path,
            msg);
    const char *line;
    size_t n = last_libbpf_warning(&line);
    if (n)
      fprintf(stderr, "bpflint-oracle: %.*s\n", (int)n, line);
    free(captured.buf);
    return 2;
  }
  for (int k = 0; k < n_names; k++) {
    if (!bpf_object__find_program_by_name(obj, names[k])) {
      fprintf(stderr, "bpflint-oracle: %s: no program named '%s'\n", path,
              names[k]);
      bpf_object__close(obj);
      free(captured.buf);
      return 2;
    }
  }

  char *log_buf = malloc(LOG_BUF_SIZE);
  if (!log_buf) {
    fprintf(stderr, "bpflint-oracle: out of memory\n");
    bpf_object__close(obj);
    free(captured.buf);
    return 2;
  }
  int count = 0;
  if (n_names > 0) {
    for (int k = 0; k < n_names; k++, count++)
      report(path, names[k], log_buf, show_log);
  } else {
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, obj) {
      report(path, bpf_program__name(prog), log_buf, show_log);
      count++;
    }
  }
  if (count == 0)
    fprintf(stderr, "bpflint-oracle: %s: no BPF programs\n", path);

  bpf_object__close(obj);
  free(log_buf);
  free(captured.buf);
  return 0;
}
