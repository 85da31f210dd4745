#===- cmake/IngotMLIR.cmake - find LLVM/MLIR 19 ----------------------------===#
#
# Finds Debian's LLVM/MLIR 19 and sets up TableGen. MLIR is linked as static
# archives (MLIR* targets), never together with libMLIR.so; LLVM itself is
# Debian's single libLLVM-19.so, which the imported targets already carry.
#
#===----------------------------------------------------------------------===#
find_package(MLIR REQUIRED CONFIG
  HINTS /usr/lib/llvm-19/lib/cmake/mlir)
find_package(LLD REQUIRED CONFIG
  HINTS /usr/lib/llvm-19/lib/cmake/lld)
message(STATUS "Ingot: MLIR from ${MLIR_DIR}, LLVM ${LLVM_PACKAGE_VERSION}")

list(APPEND CMAKE_MODULE_PATH "${MLIR_CMAKE_DIR}" "${LLVM_CMAKE_DIR}")
set(LLVM_RUNTIME_OUTPUT_INTDIR ${CMAKE_BINARY_DIR}/bin)
set(LLVM_LIBRARY_OUTPUT_INTDIR ${CMAKE_BINARY_DIR}/lib)
set(MLIR_BINARY_DIR ${CMAKE_BINARY_DIR})

include(TableGen)
include(AddLLVM)
include(AddMLIR)
include(HandleLLVMOptions)

include_directories(SYSTEM ${LLVM_INCLUDE_DIRS} ${MLIR_INCLUDE_DIRS})
add_definitions(${LLVM_DEFINITIONS})

set(INGOT_TABLEGEN_INCLUDES -I ${PROJECT_SOURCE_DIR} -I ${MLIR_INCLUDE_DIRS})
