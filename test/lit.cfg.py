# bpflint's lit suite.
#
# Substitutions:
#   %clang_bpf     clang for BPF (-target bpf -O2 -g, test headers on the path)
#   %bpflint_cc    %clang_bpf with -fplugin=bpflint.so
#   %objcheck      bpflint-objcheck: the bytecode verifier on an object
#   %oracle        bpflint-oracle: loads each program of an object into the
#                  running kernel and prints "<prog>: accept|reject: <line>"
#   %inputs, %docs, %src_root, %python, %vmlinux_dir
# Features:
#   kernel-oracle  loading BPF programs is permitted here (probe load passed)
#   vmlinux        a vmlinux.h generated from /sys/kernel/btf/vmlinux
#   llvm-<major>   the LLVM major bpflint was built against
import os
import shutil
import subprocess
import sys

import lit.formats

config.name = "bpflint"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".test"]
config.excludes = ["Inputs", "unit", "utils", "CMakeLists.txt", "lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.bpflint_obj_root, "test")

llvm_bin = config.llvm_bindir
config.environment["PATH"] = os.pathsep.join(
    [llvm_bin, config.environment.get("PATH", os.environ.get("PATH", ""))])

clang = os.path.join(llvm_bin, "clang")
inputs = os.path.join(config.test_source_root, "Inputs")
clang_bpf = "%s -target bpf -O2 -g -I%s" % (clang, inputs)

# The system's libbpf and UAPI headers, as real programs use them (Debian puts
# <asm/types.h> under the multiarch include directory).
multiarch = subprocess.run(["gcc", "-print-multiarch"], stdout=subprocess.PIPE,
                           universal_newlines=True).stdout.strip() or "x86_64-linux-gnu"
clang_bpf_sys = "%s -target bpf -O2 -g -I/usr/include/%s" % (clang, multiarch)

# Longer names first: lit substitutes in order.
config.substitutions.append(("%clang_bpf_sys", clang_bpf_sys))
config.substitutions.append(("%clang_bpf", clang_bpf))
config.substitutions.append(
    ("%bpflint_cc", "%s -fplugin=%s" % (clang_bpf, config.bpflint_plugin)))
config.substitutions.append(("%bpflint_so", config.bpflint_plugin))
config.substitutions.append(("%clang", clang))
config.substitutions.append(("%objcheck", config.bpflint_objcheck))
config.substitutions.append(("%oracle", config.bpflint_oracle))
config.substitutions.append(("%inputs", inputs))
config.substitutions.append(("%docs", os.path.join(config.bpflint_src_root, "docs")))
config.substitutions.append(("%src_root", config.bpflint_src_root))
config.substitutions.append(("%python", sys.executable))
config.available_features.add("llvm-%s" % config.llvm_major)

# The kernel oracle: a probe load tells whether this machine lets us load BPF
# programs (root with CAP_BPF). Say so once when it does not.
probe = subprocess.run([config.bpflint_oracle, "--probe"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
if probe.returncode == 0:
    config.available_features.add("kernel-oracle")
else:
    lit_config.note("kernel oracle unavailable (%s): kernel verdicts of the "
                    "test programs are NOT confirmed in this run"
                    % (probe.stderr.strip() or "probe load failed"))

# A real vmlinux.h from the running kernel's BTF, for tests that compile
# against it as real programs do.
vmlinux_dir = os.path.join(config.test_exec_root, "vmlinux")
btf = "/sys/kernel/btf/vmlinux"
bpftool = shutil.which("bpftool") or "/usr/sbin/bpftool"
vmlinux_h = os.path.join(vmlinux_dir, "vmlinux.h")
if os.path.exists(btf) and os.path.exists(bpftool):
    if not os.path.exists(vmlinux_h):
        os.makedirs(vmlinux_dir, exist_ok=True)
        with open(vmlinux_h + ".tmp", "w") as out:
            gen = subprocess.run([bpftool, "btf", "dump", "file", btf,
                                  "format", "c"], stdout=out,
                                 stderr=subprocess.PIPE)
        if gen.returncode == 0:
            os.replace(vmlinux_h + ".tmp", vmlinux_h)
    if os.path.exists(vmlinux_h):
        config.available_features.add("vmlinux")
if "vmlinux" not in config.available_features:
    lit_config.note("no vmlinux.h (needs %s and bpftool): vmlinux tests skipped"
                    % btf)
config.substitutions.append(("%vmlinux_dir", vmlinux_dir))
