# Locate Debian's LLVM/Clang of major ${BPFLINT_LLVM_VERSION}.
#
# find_package(LLVM 19 CONFIG) rejects 19.1.7 because LLVMConfigVersion wants
# major.minor, so look in the versioned prefix directly and check the major.
set(BPFLINT_LLVM_PREFIX "/usr/lib/llvm-${BPFLINT_LLVM_VERSION}" CACHE PATH
    "Prefix of the LLVM installation")

find_package(LLVM REQUIRED CONFIG NO_DEFAULT_PATH
             PATHS ${BPFLINT_LLVM_PREFIX}/lib/cmake/llvm)
find_package(Clang REQUIRED CONFIG NO_DEFAULT_PATH
             PATHS ${BPFLINT_LLVM_PREFIX}/lib/cmake/clang)

if(NOT LLVM_VERSION_MAJOR EQUAL BPFLINT_LLVM_VERSION)
  message(FATAL_ERROR "Found LLVM ${LLVM_PACKAGE_VERSION} in "
                      "${BPFLINT_LLVM_PREFIX}, expected major ${BPFLINT_LLVM_VERSION}")
endif()
message(STATUS "bpflint: building against LLVM/Clang ${LLVM_PACKAGE_VERSION}")

set(BPFLINT_LLVM_BINDIR ${BPFLINT_LLVM_PREFIX}/bin)
set(BPFLINT_CLANG ${BPFLINT_LLVM_BINDIR}/clang)

include_directories(SYSTEM ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
separate_arguments(BPFLINT_LLVM_DEFINITIONS NATIVE_COMMAND ${LLVM_DEFINITIONS})
# Only C++ code includes LLVM headers; the C tools must not get _GNU_SOURCE etc.
foreach(def ${BPFLINT_LLVM_DEFINITIONS})
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:${def}>)
endforeach()

# lit: Debian ships it as a script in the build tree (19) or as bin/lit (22).
find_program(BPFLINT_LIT NAMES lit llvm-lit lit.py
             PATHS ${BPFLINT_LLVM_BINDIR} ${BPFLINT_LLVM_PREFIX}/build/utils/lit
             NO_DEFAULT_PATH)
find_program(BPFLINT_FILECHECK FileCheck PATHS ${BPFLINT_LLVM_BINDIR}
             NO_DEFAULT_PATH REQUIRED)
