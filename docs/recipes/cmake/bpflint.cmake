# bpflint.cmake: bpflint for BPF programs built with CMake (see
# docs/recipes/README.md).
#
#   include(bpflint.cmake)
#   bpflint_target(<target>)    BPF sources compiled by CMake's C compiler
#                               (clang, -target bpf): adds the plugin flags
#   ${BPFLINT_FLAGS_LIST}       the same flags for add_custom_command, as
#                               libbpf-bootstrap's bpf_object() builds objects
#
# Cache variables: BPFLINT_SO (the plugin for the BPF clang's LLVM major;
# empty disables bpflint), BPFLINT_KERNEL (kernel profile X.Y),
# BPFLINT_ERRORS (findings stop the build). With
# CMAKE_EXPORT_COMPILE_COMMANDS, `bpflint -p <build dir>` analyses the
# targets' BPF compiles (custom commands are not in the database).
set(BPFLINT_SO "" CACHE FILEPATH
    "bpflint.so matching the BPF clang's LLVM major; empty disables bpflint")
set(BPFLINT_KERNEL "" CACHE STRING "bpflint kernel profile (X.Y)")
option(BPFLINT_ERRORS "bpflint findings are errors" OFF)

set(BPFLINT_FLAGS_LIST "")
if(BPFLINT_SO)
  list(APPEND BPFLINT_FLAGS_LIST "-fplugin=${BPFLINT_SO}")
  if(BPFLINT_KERNEL)
    list(APPEND BPFLINT_FLAGS_LIST "-fplugin-arg-bpflint-kernel=${BPFLINT_KERNEL}")
  endif()
  if(BPFLINT_ERRORS)
    list(APPEND BPFLINT_FLAGS_LIST "-fplugin-arg-bpflint-errors")
  endif()
endif()

function(bpflint_target target)
  if(BPFLINT_FLAGS_LIST)
    target_compile_options(${target} PRIVATE ${BPFLINT_FLAGS_LIST})
  endif()
endfunction()
