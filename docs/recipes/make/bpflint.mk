# bpflint.mk: bpflint for a libbpf-bootstrap-style Makefile.
#
#   include bpflint.mk                        (after CLANG is set)
#   ... $(CLANG) -g -O2 -target bpf $(BPFLINT_FLAGS) -c $< -o $@
#
#   make                      builds with the plugin: findings as warnings
#   make BPFLINT_ERRORS=1     findings stop the build (for CI)
#   make BPFLINT=             builds without bpflint
#   make compile_commands.json   records the compile database with bear
#   make bpflint-lint         runs the driver on the recorded database
#   make bpflint-sarif        ... and writes bpflint.sarif for code scanning
#   make bpflint-fix          applies the findings' fix-its
#
# BPFLINT_SO is the plugin for the LLVM major of $(CLANG) (clang-19 needs the
# plugin built with tools/bpflint-dev build 19); BPFLINT_DRIVER the
# standalone driver of the same build.
BPFLINT ?= 1
BPFLINT_SO ?= $(shell command -v bpflint >/dev/null 2>&1 && \
	dirname $$(dirname $$(command -v bpflint)))/lib/bpflint.so
BPFLINT_DRIVER ?= bpflint
BPFLINT_KERNEL ?=
BPFLINT_ERRORS ?=
BEAR ?= bear

ifneq ($(strip $(BPFLINT)),)
BPFLINT_FLAGS ?= -fplugin=$(BPFLINT_SO) \
	$(if $(BPFLINT_KERNEL),-fplugin-arg-bpflint-kernel=$(BPFLINT_KERNEL)) \
	$(if $(BPFLINT_ERRORS),-fplugin-arg-bpflint-errors)
else
BPFLINT_FLAGS :=
endif

# Included before the Makefile's first rule, these rules must not become
# the default goal.
bpflint_saved_goal := $(.DEFAULT_GOAL)

.PHONY: bpflint-lint bpflint-sarif bpflint-fix

# bear records every compile of a clean build (the driver reads the BPF
# ones; the plugin is not needed for that build).
compile_commands.json:
	$(MAKE) clean
	$(BEAR) --output $@ -- $(MAKE) BPFLINT=

bpflint-lint: compile_commands.json
	$(BPFLINT_DRIVER) -p .

bpflint-sarif: compile_commands.json
	$(BPFLINT_DRIVER) -p . --format=sarif -o bpflint.sarif || [ $$? -eq 1 ]

bpflint-fix: compile_commands.json
	$(BPFLINT_DRIVER) -p . --fix

.DEFAULT_GOAL := $(bpflint_saved_goal)
