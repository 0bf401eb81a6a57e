#!/usr/bin/env python3
"""Classify bpflint warnings on the kernel BPF selftests (called by run.sh).

usage: classify.py WORK results.md

For each bpflint warning, the analysis root is the function containing the first
path note (the path starts in the root) or, without notes, the warning itself.
Its selftest annotations (bpf_misc.h: __failure/__success/__msg/__description,
SEC) decide the category:
  FP        the running kernel loads the root program (bpflint-oracle)
  TP/TP-other with a kernel verdict: the kernel rejects it; TP if its final
            verifier line matches bpflint's quoted message
  Without a kernel verdict (load failed / not loadable here):
  TP        root is __failure and bpflint's quoted verifier message matches a __msg
  TP-other  root is __failure, message does not match (or no __msg)
  FP?       root is __success, or unannotated in a RUN_TESTS file (test_loader
            defaults to "expect success"), or the file is loaded by a prog_tests
            skeleton and is not a *fail* file -> likely false positive
  TP?-fail  unannotated, in a *fail*.c file loaded by prog_tests (expected reject)
  lint      a "lint only" check (ringbuf-lint-*): the kernel loads the program
            by design, the finding is about runtime behaviour
  unknown   anything else
Overrides (EXPECT_FAIL_FILES): files whose prog_tests assert that loading fails.
"""
import os, re, sys, glob, collections

WORK, OUTMD = sys.argv[1], sys.argv[2]
ST = os.path.join(WORK, 'linux-source-6.12/tools/testing/selftests/bpf')
PROGS = os.path.join(ST, 'progs')
OUT = os.path.join(WORK, 'out')

# prog_tests references
ptext = ''
for p in glob.glob(os.path.join(ST, 'prog_tests', '*.c')) + glob.glob(os.path.join(ST, '*.c')):
    if os.path.exists(p):
        ptext += open(p, errors="replace").read()
run_tests = set(re.findall(r'RUN_TESTS\((\w+)\)', ptext))
skel_used = set(re.findall(r'#include\s+"(\w+)\.skel\.h"', ptext)) | set(re.findall(r'"(\w+)\.bpf\.o"', ptext))

# prog_tests/helper_restricted.c: every program is loaded alone with
# ASSERT_ERR(err, "load_should_fail").
EXPECT_FAIL_FILES = {'test_helper_restricted'}

_cache = {}
def functions(path):
    """list of (body_start_line, body_end_line, header_info) for top-level functions"""
    if path in _cache:
        return _cache[path]
    try:
        lines = open(path, errors='replace').read().split('\n')
    except OSError:
        _cache[path] = []
        return []
    funcs, depth, start, incomment = [], 0, None, False
    for i, l in enumerate(lines, 1):
        s = re.sub(r'"(\\.|[^"\\])*"', '""', l)
        s = re.sub(r"'(\\.|[^'\\])*'", "''", s)
        out = ''
        j = 0
        while j < len(s):
            if incomment:
                k = s.find('*/', j)
                if k < 0: j = len(s); break
                incomment = False; j = k + 2; continue
            if s.startswith('/*', j): incomment = True; j += 2; continue
            if s.startswith('//', j): break
            out += s[j]; j += 1
        if out.lstrip().startswith('#'):
            continue
        for c in out:
            if c == '{':
                if depth == 0: start = i
                depth += 1
            elif c == '}':
                depth -= 1
                if depth == 0 and start is not None:
                    funcs.append((start, i)); start = None
    res = []
    for (b, e) in funcs:
        # header block: lines above b (and line b itself) up to a blank line / ';' / '}'
        k = b - 1
        hdr = [lines[b - 1]]
        while k >= 1:
            t = lines[k - 1].rstrip()
            if t == '' or t.endswith(';') or t.endswith('}') or t.startswith('#'):
                break
            hdr.insert(0, t); k -= 1
        hstart = k + 1
        h = '\n'.join(hdr)
        if '(' not in h or re.search(r'^\s*(struct|union|enum)\s+\w+\s*\{', h, re.M) and '(' not in h.split('{')[0]:
            continue
        m = re.findall(r'(\w+)\s*\(', h.split('{')[0])
        names = [x for x in m if x not in ('SEC', '__msg', '__description', '__retval', '__flag',
                 '__log_level', '__arch', '__regex', '__msg_unpriv', '__xlated', '__jited', '__btf_path',
                 '__retval_unpriv', '__caps_unpriv', 'BPF_PROG', 'BPF_KPROBE', 'BPF_KRETPROBE',
                 'BPF_USDT', 'BPF_PROG2', 'BPF_KSYSCALL', 'BPF_UPROBE', '__attribute__', '__weak', 'noinline',
                 '__noinline', '__used', '__naked', '__arch_x86_64', '__arch_arm64', '__arch_riscv64', '__section')]
        name = names[0] if names else '?'
        mm = re.search(r'BPF_(?:PROG2?|KPROBE|KRETPROBE|USDT|KSYSCALL|UPROBE|URETPROBE)\s*\(\s*(\w+)', h)
        if mm: name = mm.group(1)
        sec = re.search(r'SEC\("([^"]*)"\)', h)
        info = dict(name=name, sec=sec.group(1) if sec else None,
                    failure=bool(re.search(r'\b__failure\b', h)),
                    success=bool(re.search(r'\b__success\b', h)),
                    msgs=re.findall(r'__(?:msg|regex)\("((?:\\.|[^"\\])*)"\)', h),
                    desc=(re.search(r'__description\("([^"]*)"\)', h) or [None, None])[1],
                    static=bool(re.search(r'\bstatic\b', h)),
                    line=hstart, header=h)
        res.append((hstart, e, info))
    _cache[path] = res
    return res

def enclosing(path, line):
    for b, e, info in functions(path):
        if b <= line <= e:
            return info
    return None

LOC = re.compile(r'^(/[^:]+):(\d+):(\d+): (warning|note|error): (.*)$')
warnings = []  # dict(file, wfile, wline, text, check, notes=[(f,l,text)])
for lint in sorted(glob.glob(os.path.join(OUT, '*.lint'))):
    cur = None
    for l in open(lint, errors='replace'):
        m = LOC.match(l.rstrip('\n'))
        if not m:
            continue
        f, ln, col, kind, text = m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5)
        if kind in ('warning', 'error'):
            cm = re.search(r'\[bpflint-([a-z-]+)\]$', text)
            if cm:
                cur = dict(src=os.path.basename(lint)[:-5] + '.c', wfile=f, wline=ln, text=text,
                           check=cm.group(1), notes=[])
                warnings.append(cur)
            else:
                cur = None
        elif kind == 'note' and cur is not None:
            cur['notes'].append((f, ln, text))

def oracle(base):
    v = {}
    p = os.path.join(WORK, 'obj', base + '.oracle')
    if os.path.exists(p):
        for l in open(p, errors='replace'):
            m = re.match(r'^(\w+): (accept|reject)(?:: (.*))?$', l.rstrip())
            if m:
                v[m.group(1)] = (m.group(2), m.group(3) or '')
    return v

def msg_match(text, msgs):
    q = re.findall(r'"((?:\\.|[^"\\])*)"', text.split('(verifier:', 1)[-1])
    frags = [x.strip() for s in q for x in re.split(r'%[-\w.]*[a-z]|\.\.\.', s) if len(x.strip()) >= 8]
    for m in msgs:
        m2 = m.replace('\\', '')
        for fr in frags:
            if fr in m2 or m2 in fr:
                return True
            # partial overlap (first 16 chars)
            if len(m2) >= 12 and m2[:16] in fr or len(fr) >= 12 and fr[:16] in m2:
                return True
    return False

rows = []
for w in warnings:
    path = os.path.join(PROGS, w['src'])
    rootloc = None
    # first note located in the compiled file, else the warning
    for f, ln, t in w['notes']:
        if t.startswith('expanded from macro'):
            continue
        if os.path.realpath(f) == os.path.realpath(path):
            rootloc = ln; break
        else:
            break
    if rootloc is None and os.path.realpath(w['wfile']) == os.path.realpath(path):
        rootloc = w['wline']
    info = enclosing(path, rootloc) if rootloc else None
    base = w['src'][:-2]
    in_run = base in run_tests
    in_skel = base in skel_used
    failfile = 'fail' in base
    ov = oracle(base)
    kv = ov.get(info['name']) if info else None
    if kv is None and ov and all(v[0] == 'reject' and 'load failed' not in v[1] for v in ov.values()):
        # root not identified (macro-generated program), but the kernel
        # rejects every program of the file
        kv = ('reject', 'every program of the file is rejected')
    w['kernel'] = kv
    if w['check'].startswith('ringbuf-lint-'):
        cat = 'lint'
    elif kv and kv[0] == 'accept':
        cat = 'FP'        # the running kernel loads the program
    elif kv and kv[0] == 'reject' and 'load failed' in kv[1]:
        kv = w['kernel'] = None
        cat = None
    else:
        cat = None
    if cat:
        pass
    elif kv and kv[0] == 'reject' and info and info['failure']:
        cat = 'TP' if msg_match(w['text'], info['msgs']) or msg_match(w['text'], [kv[1]]) else 'TP-other'
    elif kv and kv[0] == 'reject':
        cat = 'TP' if msg_match(w['text'], [kv[1]]) else 'TP-other'
    elif base in EXPECT_FAIL_FILES:
        cat = 'TP?-fail'
    elif info and info['failure']:
        cat = 'TP' if msg_match(w['text'], info['msgs']) else 'TP-other'
    elif info and info['success']:
        cat = 'FP?'
    elif info and in_run and info['sec'] and not failfile:
        cat = 'FP?'      # test_loader default: expect success
    elif info and in_run and info['sec']:
        cat = 'FP?'
    elif in_skel and not failfile and info:
        cat = 'FP?'
    elif failfile and (in_skel or in_run):
        cat = 'TP?-fail'
    else:
        cat = 'unknown'
    rows.append((w, info, cat, in_run, in_skel))

# totals from results.tsv
status = collections.Counter()
seen = {}
for l in open(os.path.join(WORK, 'results.tsv')):
    p = l.rstrip('\n').split('\t')
    seen[p[0]] = p[1]
for s in seen.values():
    status[s] += 1

def short(p):
    return p.replace(ST + '/', '')

o = []
o.append('# bpflint on the Linux 6.12 BPF selftests\n')
o.append('Generated by `bench/selftests/run.sh` (see the header of that script); '
         'categories are explained in `classify.py`. Manual verdicts are in `analysis.md`.\n')
o.append('## Files\n')
o.append('| status | files |\n|---|---|')
for k, v in sorted(status.items()):
    o.append(f'| {k} | {v} |')
o.append(f'| **total** | {sum(status.values())} |\n')
o.append(f'Files with a bpflint warning: {len(set(w["src"] for w,_,_,_,_ in rows))}; warnings: {len(rows)}\n')
o.append('## Warnings by check and category\n')
cats = ['TP', 'TP-other', 'TP?-fail', 'FP', 'FP?', 'lint', 'unknown']
bycheck = collections.defaultdict(collections.Counter)
for w, info, cat, _, _ in rows:
    bycheck[w['check']][cat] += 1
o.append('| check | ' + ' | '.join(cats) + ' | total |')
o.append('|---|' + '---|' * (len(cats) + 1))
tot = collections.Counter()
for c in sorted(bycheck):
    o.append(f'| {c} | ' + ' | '.join(str(bycheck[c][k]) for k in cats) + f' | {sum(bycheck[c].values())} |')
    tot.update(bycheck[c])
o.append('| **total** | ' + ' | '.join(str(tot[k]) for k in cats) + f' | {sum(tot.values())} |\n')

o.append('## False positives (FP: kernel loads it) and likely FPs (FP?: no kernel verdict)\n')
for w, info, cat, in_run, in_skel in rows:
    if cat not in ('FP', 'FP?'):
        continue
    ann = []
    if info:
        ann.append(f'program `{info["name"]}` SEC("{info["sec"]}")')
        if info['success']: ann.append('__success')
        if info['desc']: ann.append(f'__description("{info["desc"]}")')
        if not info['success'] and not info['failure']:
            ann.append('unannotated')
    ann.append('RUN_TESTS' if in_run else ('skeleton-loaded' if in_skel else ''))
    if w.get('kernel'): ann.append('kernel: ' + ': '.join(x for x in w['kernel'] if x))
    o.append(f'- `{short(w["wfile"])}:{w["wline"]}` [{w["check"]}] {w["text"].split(" (verifier:")[0]}  \n  '
             + ', '.join(a for a in ann if a))
o.append('')
o.append('## All warnings\n')
o.append('| file:line | check | category | root program | annotations | kernel (6.18, bpflint-oracle) |')
o.append('|---|---|---|---|---|---|')
for w, info, cat, in_run, in_skel in rows:
    if info:
        a = ('__failure ' if info['failure'] else '') + ('__success ' if info['success'] else '')
        a += ' '.join(f'__msg("{m}")' for m in info['msgs'])
        root = f'{info["name"]} ({info["sec"]})'
    else:
        a, root = '', '?'
    a = a.replace('|', '\\|')
    k = ': '.join(x for x in w['kernel'] if x) if w.get('kernel') else ''
    k = k.replace('|', '\\|')
    o.append(f'| {short(w["wfile"])}:{w["wline"]} | {w["check"]} | {cat} | {root} | {a} | {k} |')

# False negatives: __failure programs in lock / ring buffer selftests whose
# __msg is a verifier message one of bpflint's checks predicts, and no bpflint
# warning has that program as root.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
known = []
for l in open(os.path.join(ROOT, 'docs/checks/README.md')):
    m = re.match(r'\| \[bpflint-([a-z-]+)\].*\| kernel rejects \|[^|]*\| (.*) \|$', l)
    if m:
        for q in re.findall(r'`([^`]+)`', m.group(2)):
            known.append((m.group(1), q))
FN_FILES = re.compile(r'spin_lock|ringbuf|res_spin_lock|irq|linked_list_fail|rbtree_fail|local_kptr|exceptions_fail|dynptr_fail|preempt_lock')
roots = set((w['src'], info['name']) for w, info, _, _, _ in rows if info)
o.append('## False negatives (lock / ring buffer selftests)\n')
o.append('`__failure` programs in files matching `' + FN_FILES.pattern + '` with no bpflint warning. '
         '"check" names the bpflint check whose kernel message matches a `__msg` (empty: no check predicts it).\n')
o.append('| file:line | program | __msg | matching check |')
o.append('|---|---|---|---|')
nfn = collections.Counter()
for src in sorted(os.listdir(PROGS)):
    if not src.endswith('.c') or not FN_FILES.search(src) or seen.get(src) != 'ok':
        continue
    for b, e, info in functions(os.path.join(PROGS, src)):
        if not info['failure'] or (src, info['name']) in roots:
            continue
        hit = ''
        for chk, km in known:
            frags = [x.strip() for x in re.split(r'%[-\w.]*[a-z]', km) if len(x.strip()) >= 8]
            if any(fr in m.replace('\\', '') or m.replace('\\', '') in fr for fr in frags for m in info['msgs']):
                hit = chk; break
        nfn['with-check' if hit else 'no-check'] += 1
        msgs = ' '.join(f'`{m}`' for m in info['msgs']).replace('|', '\\|')
        o.append(f'| progs/{src}:{info["line"]} | {info["name"]} | {msgs} | {hit} |')
o.append(f'\nSilent __failure programs: {nfn["with-check"]} whose message a bpflint check predicts, '
         f'{nfn["no-check"]} outside bpflint\'s checks.\n')
open(OUTMD, 'w').write('\n'.join(o) + '\n')
print(f'wrote {OUTMD}: {len(rows)} warnings, ' + ', '.join(f'{k}={tot[k]}' for k in cats), file=sys.stderr)
