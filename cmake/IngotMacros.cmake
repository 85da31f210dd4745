#===- cmake/IngotMacros.cmake - thin wrappers over add_mlir_* --------------===#
#
# Every Ingot target sees the repository root and the build root as include
# directories, so includes are spelled from the repository root and generated
# files (TableGen, flatc) are found next to their sources' mirror.
#
#===----------------------------------------------------------------------===#

# ingot_target_defaults(target): include dirs shared by all Ingot targets.
function(ingot_target_defaults target)
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}>)
endfunction()

# ingot_dialect_library(name srcs... [DEPENDS ...] [LINK_LIBS ...]): an MLIR
# library (IR or Transforms) of one of Ingot's dialects or compiler parts.
function(ingot_mlir_library name)
  add_mlir_library(${name} ${ARGN} DISABLE_INSTALL)
  ingot_target_defaults(${name})
  target_include_directories(${name} SYSTEM PUBLIC
    ${LLVM_INCLUDE_DIRS} ${MLIR_INCLUDE_DIRS})
endfunction()

# ingot_tablegen(ofn args...): mlir_tablegen with Ingot's include paths.
function(ingot_tablegen ofn)
  mlir_tablegen(${ofn} ${ARGN} ${INGOT_TABLEGEN_INCLUDES})
  set(TABLEGEN_OUTPUT ${TABLEGEN_OUTPUT} PARENT_SCOPE)
endfunction()

# ingot_cc_binary(name srcs... LIBS ...): a plain (non-LLVM) executable.
function(ingot_cc_binary name)
  cmake_parse_arguments(ARG "" "" "SRCS;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SRCS} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  ingot_target_defaults(${name})
endfunction()
