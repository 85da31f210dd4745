//===- test_module_builder.cpp - Test module writer -------------*- C++ -*-===//

#include "tests/unit/test_module_builder.h"

#include "runtime/schema/module_generated.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace ingot::test {

namespace {

using namespace ingot::schema;

uint64_t alignTo64(uint64_t value) { return (value + 63) / 64 * 64; }

/// Builds the FlatBuffer with segments placed from `base` on.
std::string buildFlatBuffer(const TestModuleOptions &o, uint64_t base,
                            uint64_t &constantOffset,
                            uint64_t &executableOffset, uint64_t &spirvOffset) {
  constantOffset = base;
  executableOffset = alignTo64(base + 32);
  spirvOffset = alignTo64(executableOffset +
                          (o.withExecutable ? o.executable.size() : 0));
  flatbuffers::FlatBufferBuilder b;
  auto type = [&](uint8_t elementType, std::vector<int64_t> dims) {
    return CreateTensorTypeDirect(b, static_cast<ElementType>(elementType),
                                  &dims);
  };
  std::vector<flatbuffers::Offset<Parameter>> inputs = {
      CreateParameterDirect(b, "x", type(o.inputElementType, {o.inputDim}))};
  std::vector<flatbuffers::Offset<Parameter>> outputs = {
      CreateParameterDirect(b, "y", type(0, {o.outputDim})),
      CreateParameterDirect(b, "z", type(0, {o.outputDim}), o.zCheckMessage)};
  std::vector<flatbuffers::Offset<Buffer>> buffers = {
      CreateBuffer(b, BufferKind::Input, o.inputBufferIndex, 0, 32),
      CreateBuffer(b, BufferKind::Constant, o.constantBufferIndex, 0, 32),
      CreateBuffer(b, BufferKind::Transient, 0, o.transientOffset, 32),
      CreateBuffer(b, BufferKind::Output, 0, 0, 32),
      CreateBuffer(b, BufferKind::Output, 1, 0, 32)};
  std::vector<uint32_t> addBindings = {0, 1, 2};
  std::vector<int64_t> addConstants = {o.pushN, 4};
  std::vector<uint32_t> addOneBindings = {o.addOneBinding, 3};
  std::vector<int64_t> addOneConstants = {o.pushN, 2};
  std::vector<uint8_t> commandTypes = {uint8_t(Command::Dispatch),
                                       uint8_t(Command::Dispatch),
                                       uint8_t(Command::Copy)};
  std::vector<flatbuffers::Offset<void>> commands = {
      CreateDispatchDirect(b, o.addKernelIndex, &addBindings, &addConstants)
          .Union(),
      CreateDispatchDirect(b, 1, &addOneBindings, &addOneConstants).Union(),
      CreateCopy(b, 2, o.copyToInput ? 0 : 4, o.copySize).Union()};
  auto function = CreateFunction(
      b, b.CreateString("main"), b.CreateVector(inputs),
      b.CreateVector(outputs), b.CreateVector(buffers),
      b.CreateVector(reinterpret_cast<const Command *>(commandTypes.data()),
                     commandTypes.size()),
      b.CreateVector(commands), o.arenaSize, o.batchTile);
  std::vector<flatbuffers::Offset<Function>> functions = {function};
  if (!o.variants.empty()) {
    std::vector<flatbuffers::Offset<Parameter>> sizedInputs = {
        CreateParameterDirect(b, "x", type(o.inputElementType, {o.sizedDim}))};
    std::vector<flatbuffers::Offset<Parameter>> sizedOutputs = {
        CreateParameterDirect(b, "y", type(0, {o.sizedDim})),
        CreateParameterDirect(b, "z", type(0, {o.sizedDim}))};
    flatbuffers::Offset<flatbuffers::Vector<Command>> sizedTypes = 0;
    flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<void>>>
        sizedCommands = 0;
    flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<Buffer>>>
        sizedBuffers = 0;
    if (o.sizedWithProgram) {
      sizedBuffers = b.CreateVector(buffers);
      sizedTypes =
          b.CreateVector(reinterpret_cast<const Command *>(commandTypes.data()),
                         commandTypes.size());
      sizedCommands = b.CreateVector(commands);
    }
    functions.push_back(
        CreateFunction(b, b.CreateString("sized"), b.CreateVector(sizedInputs),
                       b.CreateVector(sizedOutputs), sizedBuffers, sizedTypes,
                       sizedCommands, o.sizedWithProgram ? o.arenaSize : 0,
                       o.batchTile, b.CreateVector(o.variants)));
  }

  std::vector<flatbuffers::Offset<flatbuffers::String>> kernels = {
      b.CreateString("add"), b.CreateString("add_one")};
  std::vector<flatbuffers::Offset<Executable>> executables;
  if (o.withExecutable) {
    std::vector<uint32_t> addGrid = {o.workgroupX, 1, 1};
    std::vector<uint32_t> addOneGrid = {4, 1, 1};
    std::vector<uint32_t> local = {1, 1, 1};
    std::vector<flatbuffers::Offset<EntryPoint>> entryPoints = {
        CreateEntryPointDirect(b, "add", &addGrid, &local),
        CreateEntryPointDirect(b, "add_one", &addOneGrid, &local)};
    for (uint32_t i = 0; i < o.extraEntryPoints; ++i)
      entryPoints.push_back(CreateEntryPointDirect(b, "add", &addGrid, &local));
    Segment segment(executableOffset, o.executable.size());
    executables.push_back(CreateExecutable(
        b, ExecutableFormat::CpuElf, b.CreateString("x86_64-unknown-linux-gnu"),
        b.CreateVector(entryPoints), &segment));
  }
  if (!o.spirv.empty()) {
    std::vector<uint32_t> addGrid = {o.workgroupX, 1, 1};
    std::vector<uint32_t> addOneGrid = {4, 1, 1};
    std::vector<uint32_t> addLocal = {4, 1, 1};
    std::vector<uint32_t> addOneLocal = {2, 1, 1};
    std::vector<flatbuffers::Offset<EntryPoint>> entryPoints = {
        CreateEntryPointDirect(b, "add", &addGrid, &addLocal),
        CreateEntryPointDirect(b, "add_one", &addOneGrid, &addOneLocal)};
    flatbuffers::Offset<SpirvTarget> target;
    if (o.withSpirvTarget) {
      std::vector<flatbuffers::Offset<flatbuffers::String>> capabilities,
          extensions;
      for (const std::string &name : o.spirvCapabilities)
        capabilities.push_back(b.CreateString(name));
      for (const std::string &name : o.spirvExtensions)
        extensions.push_back(b.CreateString(name));
      target = CreateSpirvTarget(b, b.CreateString("test"), o.spirvVersion,
                                 o.vulkanVersion, b.CreateVector(capabilities),
                                 b.CreateVector(extensions),
                                 o.maxWorkgroupInvocations);
    }
    Segment segment(spirvOffset, o.spirv.size());
    executables.push_back(CreateExecutable(
        b, ExecutableFormat::SpirV, b.CreateString("vulkan-spirv1.3"),
        b.CreateVector(entryPoints), &segment, target));
  }
  std::vector<flatbuffers::Offset<Constant>> constants;
  Segment constantSegment(constantOffset + o.constantOffsetDelta,
                          uint64_t(32 + o.constantSizeDelta));
  constants.push_back(
      CreateConstant(b, b.CreateString("c"), type(0, {8}), &constantSegment));
  auto module = CreateModule(
      b, o.version, b.CreateString("test"), b.CreateString("test-builder"),
      b.CreateVector(functions), b.CreateVector(kernels),
      b.CreateVector(executables), b.CreateVector(constants));
  b.Finish(module, o.identifier);
  return std::string(reinterpret_cast<const char *>(b.GetBufferPointer()),
                     b.GetSize());
}

} // namespace

std::string buildTestModule(const TestModuleOptions &options) {
  // Segment offsets are fixed-size struct fields, so the FlatBuffer's size
  // does not depend on them: build once to learn the size, then for real.
  uint64_t constantOffset, executableOffset, spirvOffset;
  std::string flatbuffer = buildFlatBuffer(options, 0, constantOffset,
                                           executableOffset, spirvOffset);
  uint64_t base = alignTo64(flatbuffer.size());
  flatbuffer = buildFlatBuffer(options, base, constantOffset, executableOffset,
                               spirvOffset);
  std::string file = flatbuffer;
  file.resize(constantOffset, '\0');
  for (int i = 0; i < 8; ++i) {
    float value = static_cast<float>(i);
    file.append(reinterpret_cast<const char *>(&value), sizeof(value));
  }
  file.resize(executableOffset, '\0');
  if (options.withExecutable)
    file += options.executable;
  if (!options.spirv.empty()) {
    file.resize(spirvOffset, '\0');
    file += options.spirv;
  }
  file.resize(file.size() - std::min(options.truncateBy, file.size()));
  return file;
}

std::string buildCopyModule() {
  auto build = [](uint64_t constantOffset) {
    flatbuffers::FlatBufferBuilder b;
    std::vector<int64_t> dims = {32};
    auto type = [&] {
      return CreateTensorTypeDirect(b, ElementType::f32, &dims);
    };
    std::vector<flatbuffers::Offset<Parameter>> inputs = {
        CreateParameterDirect(b, "x", type())};
    std::vector<flatbuffers::Offset<Parameter>> outputs = {
        CreateParameterDirect(b, "y", type()),
        CreateParameterDirect(b, "k", type())};
    std::vector<flatbuffers::Offset<Buffer>> buffers = {
        CreateBuffer(b, BufferKind::Input, 0, 0, 128),
        CreateBuffer(b, BufferKind::Transient, 0, 0, 128),
        CreateBuffer(b, BufferKind::Transient, 0, 64, 128),
        CreateBuffer(b, BufferKind::Output, 0, 0, 128),
        CreateBuffer(b, BufferKind::Constant, 0, 0, 128),
        CreateBuffer(b, BufferKind::Output, 1, 0, 128)};
    std::vector<uint8_t> commandTypes(4, uint8_t(Command::Copy));
    std::vector<flatbuffers::Offset<void>> commands = {
        CreateCopy(b, 0, 1, 128).Union(), CreateCopy(b, 1, 2, 128).Union(),
        CreateCopy(b, 2, 3, 128).Union(), CreateCopy(b, 4, 5, 128).Union()};
    std::vector<flatbuffers::Offset<Function>> functions = {CreateFunction(
        b, b.CreateString("shift"), b.CreateVector(inputs),
        b.CreateVector(outputs), b.CreateVector(buffers),
        b.CreateVector(reinterpret_cast<const Command *>(commandTypes.data()),
                       commandTypes.size()),
        b.CreateVector(commands), 192)};
    Segment segment(constantOffset, 128);
    std::vector<flatbuffers::Offset<Constant>> constants = {
        CreateConstant(b, b.CreateString("k"), type(), &segment)};
    b.Finish(CreateModule(
                 b, 1, b.CreateString("copies"), b.CreateString("test-builder"),
                 b.CreateVector(functions), 0, 0, b.CreateVector(constants)),
             "INGT");
    return std::string(reinterpret_cast<const char *>(b.GetBufferPointer()),
                       b.GetSize());
  };
  uint64_t constantOffset = alignTo64(build(0).size());
  std::string file = build(constantOffset);
  file.resize(constantOffset, '\0');
  for (int i = 0; i < 32; ++i) {
    float value = 100.0f + i;
    file.append(reinterpret_cast<const char *>(&value), sizeof(value));
  }
  return file;
}

std::string readBinaryFile(const std::string &path) {
  FILE *file = std::fopen(path.c_str(), "rb");
  if (!file) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    std::abort();
  }
  std::string result;
  char chunk[4096];
  size_t read;
  while ((read = std::fread(chunk, 1, sizeof(chunk), file)) > 0)
    result.append(chunk, read);
  std::fclose(file);
  return result;
}

} // namespace ingot::test
