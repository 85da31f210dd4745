//===- Compiler.cpp - Ingot compiler library C API --------------*- C++ -*-===//
//
// Implements compiler/API/ingot_compiler.h over the importer, the phase
// pipelines and the module writer.
//
//===----------------------------------------------------------------------===//
#include "compiler/API/ingot_compiler.h"

#include "compiler/Codegen/SPIRV/VulkanTargets.h"
#include "compiler/Import/Onnx/OnnxImporter.h"
#include "compiler/ModuleWriter/ModuleWriter.h"
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Registration/Registration.h"
#include "dialects/Exec/IR/ExecOps.h"

#include "mlir/Debug/CLOptionsSetup.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <mutex>
#include <optional>
#include <string>

using namespace mlir;
using namespace mlir::ingot;

struct ingot_compiler_error_t {
  std::string message;
};

struct ingot_compiler_output_t {
  std::string data;
  bool isText = false;
};

struct ingot_compiler_session_t {
  /// Stop after this phase and print IR (std::nullopt: write a module).
  std::optional<Phase> compileTo;
  /// The phase the input is at.
  Phase compileFrom = Phase::Input;
  TargetOptions target;
  bool checkSupport = false;
  /// Write the SPIR-V module of the result to this file (--dump-spirv=).
  std::string dumpSpirvPath;
  /// Rows per tile for models with a dynamic batch (--batch-tile=; 0 keeps
  /// dynamic dims).
  int64_t batchTile = 1;
  /// Sizes of symbolic input dims to build size variants for
  /// (--dim-values=NAME=SIZE,...; one entry per name).
  SmallVector<DimValues> dimValues;
};

namespace {

ingot_compiler_error_t *makeError(std::string message) {
  if (!message.empty() && message.back() == '\n')
    message.pop_back();
  return new ingot_compiler_error_t{std::move(message)};
}

std::once_flag globalInitFlag;

/// The input kinds the compiler reads.
enum class InputKind { Onnx, OnnxText, Mlir };

/// Picks the input kind from the name's extension, else from the content.
InputKind detectInputKind(llvm::StringRef name, llvm::StringRef data) {
  llvm::StringRef ext = llvm::sys::path::extension(name);
  if (ext == ".onnx")
    return InputKind::Onnx;
  if (ext == ".onnxtext")
    return InputKind::OnnxText;
  if (ext == ".mlir")
    return InputKind::Mlir;
  llvm::StringRef trimmed = data.ltrim();
  if (trimmed.starts_with("<"))
    return InputKind::OnnxText;
  // A binary ONNX ModelProto starts with field 1 (ir_version, varint).
  if (!data.empty() && data[0] == 0x08)
    return InputKind::Onnx;
  return InputKind::Mlir;
}

/// Writes the data of the module's `spirv` exec.binary to `path`.
LogicalResult dumpSpirv(ModuleOp module, const std::string &path) {
  for (auto binary : module.getOps<exec::BinaryOp>()) {
    if (binary.getFormat() != "spirv")
      continue;
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
    if (ec)
      return emitError(binary.getLoc())
             << "--dump-spirv: cannot write " << path << ": " << ec.message();
    os << binary.getData();
    return success();
  }
  return emitError(module.getLoc())
         << "--dump-spirv: the result has no SPIR-V binary (it needs "
            "--target=vulkan and --compile-to=module or no --compile-to)";
}

/// Compiles `buffer` per the session's options into `output`; diagnostics
/// go to `diagnostics`.
LogicalResult compile(ingot_compiler_session_t *session,
                      std::unique_ptr<llvm::MemoryBuffer> buffer,
                      ingot_compiler_output_t &output,
                      std::string &diagnostics) {
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  llvm::raw_string_ostream diagStream(diagnostics);
  llvm::SourceMgr sourceMgr;
  std::string name = buffer->getBufferIdentifier().str();
  llvm::StringRef data = buffer->getBuffer();
  InputKind kind = detectInputKind(name, data);

  OwningOpRef<ModuleOp> module;
  if (kind == InputKind::Mlir) {
    sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    SourceMgrDiagnosticHandler handler(sourceMgr, &context, diagStream);
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return failure();
  } else {
    SourceMgrDiagnosticHandler handler(sourceMgr, &context, diagStream);
    if (session->checkSupport) {
      if (failed(checkOnnxBufferSupport(&context, data, name,
                                        kind == InputKind::OnnxText)))
        return failure();
      output.data = name + ": every node is supported\n";
      output.isText = true;
      return success();
    }
    module = importOnnxBuffer(&context, data, name, kind == InputKind::OnnxText,
                              session->batchTile, session->dimValues);
    if (!module)
      return failure();
  }
  if (session->checkSupport) {
    diagStream << "error: --check-support needs an ONNX model, got " << name
               << "\n";
    return failure();
  }

  SourceMgrDiagnosticHandler handler(sourceMgr, &context, diagStream);
  Phase to = session->compileTo.value_or(Phase::Module);
  if (to < session->compileFrom) {
    emitError(UnknownLoc::get(&context))
        << "--compile-to=" << stringifyPhase(to) << " comes before "
        << "--compile-from=" << stringifyPhase(session->compileFrom);
    return failure();
  }
  PassManager pm(&context, ModuleOp::getOperationName());
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  applyDefaultTimingPassManagerCLOptions(pm);
  buildPhasePipeline(pm, session->compileFrom, to, session->target);
  if (failed(pm.run(*module)))
    return failure();
  if (!session->dumpSpirvPath.empty() &&
      failed(dumpSpirv(*module, session->dumpSpirvPath)))
    return failure();

  llvm::raw_string_ostream os(output.data);
  if (session->compileTo) {
    module->print(os);
    output.isText = true;
    return success();
  }
  ModuleWriterOptions options;
  options.producer = "ingot-compile " INGOT_VERSION_STRING;
  options.moduleName = llvm::sys::path::stem(name).str();
  return writeModule(*module, os, options);
}

} // namespace

extern "C" {

int ingot_compiler_api_version(void) { return INGOT_COMPILER_API_VERSION; }

ingot_compiler_error_t *ingot_compiler_global_initialize(int argc,
                                                         const char **argv) {
  std::string error;
  std::call_once(globalInitFlag, [&] {
    // Passes first: --mlir-print-ir-after=<pass> lists what is registered.
    registerAllPasses();
    registerAsmPrinterCLOptions();
    registerMLIRContextCLOptions();
    registerPassManagerCLOptions();
    registerDefaultTimingManagerCLOptions();
    const char *defaultArgv[] = {"ingot-compiler"};
    if (argc <= 0 || !argv) {
      argc = 1;
      argv = defaultArgv;
    }
    llvm::raw_string_ostream errs(error);
    if (!llvm::cl::ParseCommandLineOptions(argc, argv, "Ingot compiler\n",
                                           &errs))
      errs.flush();
  });
  if (!error.empty())
    return makeError(error);
  return nullptr;
}

static const char kSessionFlagsHelp[] =
    "  --compile-to=<phase>     stop after <phase> and print its IR\n"
    "  --compile-from=<phase>   the input is IR at the end of <phase>\n"
    "  --target=<list>          devices to compile for: cpu (default), "
    "vulkan,\n"
    "                           or cpu,vulkan (the module carries both)\n"
    "  --vulkan-target=<name>   Vulkan target: default (Vulkan 1.1, SPIR-V "
    "1.3,\n"
    "                           128 invocations) or desktop (Vulkan 1.2,\n"
    "                           SPIR-V 1.5, 256 invocations)\n"
    "  --dump-spirv=<file>      also write the SPIR-V module to <file>\n"
    "  --target-cpu=<name>      LLVM CPU name, or host (default)\n"
    "  --target-triple=<triple> LLVM target triple (default: host)\n"
    "  --target-features=<f>    extra LLVM target features (+avx2,...)\n"
    "  --check-support          list unsupported ops/attributes/dtypes\n"
    "  --batch-tile=<n>         rows per run of a model with a dynamic batch\n"
    "                           (default 1; 0 keeps dynamic dims dynamic)\n"
    "  --dim-values=<N>=<s,...> compile the model for these sizes of its\n"
    "                           symbolic input dim <N> (repeatable; one\n"
    "                           function per combination, at most 32)\n";

/// Parses `NAME=SIZE,SIZE,...` of --dim-values into the session.
static ingot_compiler_error_t *parseDimValues(ingot_compiler_session_t *session,
                                              llvm::StringRef value) {
  auto [name, list] = value.split('=');
  if (!value.contains('=') || name.empty() || list.empty())
    return makeError(("--dim-values needs NAME=SIZE,SIZE,... (e.g. "
                      "--dim-values=S=16,32), got '" +
                      value + "'")
                         .str());
  for (const DimValues &entry : session->dimValues)
    if (entry.name == name)
      return makeError(("--dim-values lists '" + name +
                        "' twice; give all its sizes in one flag")
                           .str());
  DimValues entry;
  entry.name = name.str();
  SmallVector<llvm::StringRef> sizes;
  list.split(sizes, ',');
  for (llvm::StringRef text : sizes) {
    int64_t size;
    if (text.trim().getAsInteger(10, size) || size <= 0 || size > INT32_MAX)
      return makeError(("--dim-values=" + name + "=...: size '" + text +
                        "' is not a positive integer")
                           .str());
    if (llvm::is_contained(entry.sizes, size))
      return makeError(("--dim-values=" + name + "=...: size " + Twine(size) +
                        " is listed twice")
                           .str());
    entry.sizes.push_back(size);
  }
  session->dimValues.push_back(std::move(entry));
  return nullptr;
}

const char *ingot_compiler_session_flags_help(void) {
  return kSessionFlagsHelp;
}

int ingot_compiler_is_session_flag(const char *flag) {
  llvm::StringRef f(flag ? flag : "");
  if (f.starts_with("--"))
    f = f.drop_front(2);
  else if (f.starts_with("-"))
    f = f.drop_front(1);
  else
    return 0;
  llvm::StringRef name = f.split('=').first;
  return name == "compile-to" || name == "compile-from" || name == "target" ||
         name == "vulkan-target" || name == "dump-spirv" ||
         name == "target-cpu" || name == "target-triple" ||
         name == "target-features" || name == "check-support" ||
         name == "batch-tile" || name == "dim-values";
}

ingot_compiler_session_t *ingot_compiler_session_create(void) {
  return new ingot_compiler_session_t();
}

void ingot_compiler_session_destroy(ingot_compiler_session_t *session) {
  delete session;
}

ingot_compiler_error_t *
ingot_compiler_session_set_flag(ingot_compiler_session_t *session,
                                const char *flag) {
  if (!session || !flag)
    return makeError("ingot_compiler_session_set_flag: null argument");
  if (!ingot_compiler_is_session_flag(flag))
    return makeError(std::string("unknown flag '") + flag +
                     "'; session flags are:\n" + kSessionFlagsHelp);
  llvm::StringRef f = llvm::StringRef(flag).ltrim('-');
  auto [name, value] = f.split('=');
  bool hasValue = f.contains('=');
  if (name == "check-support") {
    if (hasValue)
      return makeError("--check-support takes no value");
    session->checkSupport = true;
    return nullptr;
  }
  if (!hasValue || value.empty())
    return makeError(
        ("--" + name + " needs a value (--" + name + "=...)").str());
  if (name == "compile-to" || name == "compile-from") {
    std::optional<Phase> phase = parsePhase(value);
    if (!phase)
      return makeError(("unknown phase '" + value + "' in --" + name +
                        "; phases: " + listPhases())
                           .str());
    if (name == "compile-to")
      session->compileTo = *phase;
    else
      session->compileFrom = *phase;
    return nullptr;
  }
  if (name == "target") {
    SmallVector<llvm::StringRef> targets;
    value.split(targets, ',');
    bool cpu = false, vulkan = false;
    for (llvm::StringRef t : targets) {
      if (t == "cpu")
        cpu = true;
      else if (t == "vulkan")
        vulkan = true;
      else
        return makeError(("unknown target '" + t +
                          "' in --target; available: cpu, vulkan, cpu,vulkan")
                             .str());
    }
    session->target.compileCpu = cpu;
    session->target.compileVulkan = vulkan;
    return nullptr;
  }
  if (name == "vulkan-target") {
    if (!vk::lookupVulkanTarget(value))
      return makeError(
          ("unknown Vulkan target '" + value +
           "' in --vulkan-target; known targets: " + vk::listVulkanTargets())
              .str());
    session->target.vulkanTarget = value.str();
    return nullptr;
  }
  if (name == "dump-spirv") {
    session->dumpSpirvPath = value.str();
    return nullptr;
  }
  if (name == "batch-tile") {
    int64_t tile;
    if (value.getAsInteger(10, tile) || tile < 0 || tile > (1 << 20))
      return makeError(("--batch-tile needs a number of rows from 0 to "
                        "1048576, got '" +
                        value + "'")
                           .str());
    session->batchTile = tile;
    return nullptr;
  }
  if (name == "dim-values")
    return parseDimValues(session, value);
  if (name == "target-cpu")
    session->target.cpu = value.str();
  else if (name == "target-triple")
    session->target.triple = value.str();
  else if (name == "target-features")
    session->target.features = value.str();
  return nullptr;
}

ingot_compiler_error_t *
ingot_compiler_compile_buffer(ingot_compiler_session_t *session,
                              const void *data, size_t size, const char *name,
                              ingot_compiler_output_t **out_output) {
  if (!session || !out_output || (!data && size))
    return makeError("ingot_compiler_compile_buffer: null argument");
  *out_output = nullptr;
  if (ingot_compiler_error_t *error =
          ingot_compiler_global_initialize(0, nullptr))
    return error;
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(static_cast<const char *>(data), size),
      name ? name : "<buffer>");
  auto output = std::make_unique<ingot_compiler_output_t>();
  std::string diagnostics;
  if (failed(compile(session, std::move(buffer), *output, diagnostics)))
    return makeError(diagnostics.empty() ? "compilation failed" : diagnostics);
  *out_output = output.release();
  return nullptr;
}

ingot_compiler_error_t *
ingot_compiler_compile_file(ingot_compiler_session_t *session, const char *path,
                            ingot_compiler_output_t **out_output) {
  if (!session || !path || !out_output)
    return makeError("ingot_compiler_compile_file: null argument");
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false,
                                                   /*RequiresNullTerminator=*/
                                                   false);
  if (std::error_code ec = buffer.getError())
    return makeError(std::string(path) + ": cannot read: " + ec.message());
  llvm::StringRef name = llvm::StringRef(path) == "-" ? "<stdin>" : path;
  return ingot_compiler_compile_buffer(session, (*buffer)->getBufferStart(),
                                       (*buffer)->getBufferSize(),
                                       name.str().c_str(), out_output);
}

const void *ingot_compiler_output_data(const ingot_compiler_output_t *output,
                                       size_t *out_size) {
  if (out_size)
    *out_size = output ? output->data.size() : 0;
  return output ? output->data.data() : nullptr;
}

int ingot_compiler_output_is_text(const ingot_compiler_output_t *output) {
  return output && output->isText;
}

void ingot_compiler_output_destroy(ingot_compiler_output_t *output) {
  delete output;
}

const char *ingot_compiler_error_message(const ingot_compiler_error_t *error) {
  return error ? error->message.c_str() : "";
}

void ingot_compiler_error_destroy(ingot_compiler_error_t *error) {
  delete error;
}

} // extern "C"
