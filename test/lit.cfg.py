# bpflint's lit suite.
#
# Substitutions:
#   %clang_bpf     clang for BPF (-target bpf -O2 -g, test headers on the path)
#   %bpflint_cc    %clang_bpf with -fplugin=bpflint.so
#   %bpflint       the standalone driver (tools/bpflint)
#   %bpflint_lsp   the editor proxy (tools/bpflint-lsp)
#   %{bpflint_dir} the driver's directory (to put `bpflint` on PATH)
#   %objcheck      bpflint-objcheck: the bytecode verifier on an object
#   %oracle        bpflint-oracle: loads each program of an object into the
#                  running kernel and prints "<prog>: accept|reject: <line>"
#   %inputs, %docs, %src_root, %python, %vmlinux_dir
# Features:
#   kernel-oracle  loading BPF programs is permitted here (probe load passed)
#   vmlinux        a vmlinux.h generated from /sys/kernel/btf/vmlinux
#   llvm-<major>   the LLVM major bpflint was built against
#   bear           bear (compile databases from make) is installed
#   pyyaml         Python's yaml module (the recipe tests read YAML)
#   clangd         clangd of the LLVM major is installed (%clangd; the editor
#                  proxy %bpflint_lsp runs it)
#   sarif-validator  ajv-cli and the SARIF 2.1.0 schema and multitool from
#                  npm, installed under $BPFLINT_NPM_DIR (default build/npm)
#   libfuzzer      the libFuzzer target was built (%fuzzer)
#   bpf-gcc        GCC's BPF back end (Debian gcc-bpf) is installed (%bpf_gcc)
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

# The editor proxy (before %bpflint, a prefix of its name) and the clangd it
# runs: the one of the LLVM bpflint is built against (Debian: clangd-<major>).
config.substitutions.append(("%bpflint_lsp", config.bpflint_lsp))
clangd = os.path.join(llvm_bin, "clangd")
if not os.path.exists(clangd):
    clangd = shutil.which("clangd-%s" % config.llvm_major) or ""
if clangd:
    config.available_features.add("clangd")
    config.substitutions.append(("%clangd", clangd))
else:
    lit_config.note("clangd-%s not installed: the editor (LSP) tests are "
                    "skipped" % config.llvm_major)

# The libFuzzer target for the object reader (built when the compiler has
# the libFuzzer runtime): the fuzz test runs it for a few seconds.
fuzzer = getattr(config, "bpflint_fuzzer", "")
if fuzzer and os.path.exists(fuzzer):
    config.available_features.add("libfuzzer")
    config.substitutions.append(("%fuzzer", fuzzer))
else:
    lit_config.note("libFuzzer target not built (needs clang with the libFuzzer "
                    "runtime, Debian libclang-rt-%s-dev): fuzz test skipped"
                    % config.llvm_major)

# GCC's BPF back end, for the objects other compilers make.
bpf_gcc = shutil.which("bpf-gcc") or shutil.which("bpf-unknown-none-gcc")
if bpf_gcc:
    config.available_features.add("bpf-gcc")
    config.substitutions.append(
        ("%bpf_gcc", "%s -O2 -gbtf -mco-re -I%s" % (bpf_gcc, inputs)))
else:
    lit_config.note("bpf-gcc not found (Debian gcc-bpf): GCC object tests "
                    "skipped")

# The standalone driver. Substituted after %bpflint_cc and %bpflint_so, which
# start with the same name.
config.substitutions.append(("%{bpflint_dir}",
                             os.path.dirname(config.bpflint_driver)))
config.substitutions.append(("%bpflint", config.bpflint_driver))
if shutil.which("bear"):
    config.available_features.add("bear")
# The recipe tests read the recipes' YAML (GitHub workflow, pre-commit hook).
try:
    import yaml  # noqa: F401
    config.available_features.add("pyyaml")
except ImportError:
    lit_config.note("PyYAML not installed: the YAML recipes are not run")

# SARIF validation: ajv-cli with the SARIF 2.1.0 schema shipped by Microsoft's
# SARIF multitool package, and the multitool's own validator. Both come from
# the npm registry: npm install --prefix build/npm ajv-cli@5 ajv-formats@3
# @microsoft/sarif-multitool-linux@5.7.0
npm_dir = os.environ.get("BPFLINT_NPM_DIR",
                         os.path.join(config.bpflint_src_root, "build", "npm"))
npm_modules = os.path.join(npm_dir, "node_modules")
sarif_schema = os.path.join(npm_modules, "@microsoft", "sarif-multitool-linux",
                            "sarif-2.1.0.json")
sarif_multitool = os.path.join(npm_modules, "@microsoft",
                               "sarif-multitool-linux", "Sarif.Multitool")
ajv = os.path.join(npm_modules, ".bin", "ajv")
ajv_formats = os.path.join(npm_modules, "ajv-formats")
if all(os.path.exists(p) for p in (sarif_schema, sarif_multitool, ajv,
                                   ajv_formats)) and shutil.which("node"):
    config.available_features.add("sarif-validator")
    config.substitutions.append(
        ("%sarif_ajv", "%s validate --spec=draft2020 --strict=false -c %s -s %s"
         % (ajv, ajv_formats, sarif_schema)))
    config.substitutions.append(("%sarif_multitool", sarif_multitool))
else:
    lit_config.note("SARIF validator not installed (%s): SARIF output is "
                    "checked structurally only" % npm_dir)
