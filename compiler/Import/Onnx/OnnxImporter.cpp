//===- OnnxImporter.cpp - ONNX model importer -------------------*- C++ -*-===//
//
// Reads an ONNX model (binary or textual), loads external data, lists
// unsupported nodes, runs the ONNX checker and shape inference, and builds
// `func.func @main` from the graph: initializers become graph.constant and
// each node becomes graph ops (see OnnxOps.cpp). Sequence values stay in
// the importer as lists of tensors (OnnxSequenceOps.cpp); graph inputs and
// outputs must be tensors.
//
// libonnx reports errors by throwing; every call into it is wrapped so that
// a bad model becomes a diagnostic, never an abort.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporter.h"
#include "compiler/Import/Onnx/OnnxBatch.h"
#include "compiler/Import/Onnx/OnnxImporterImpl.h"
#include "compiler/Import/Onnx/OnnxSizeVariants.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "onnx/checker.h"
#include "onnx/defs/parser.h"
#include "onnx/shape_inference/implementation.h"

#include <exception>
#include <unordered_map>

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

//===----------------------------------------------------------------------===//
// Types and tensors
//===----------------------------------------------------------------------===//

Type onnx_import::getElementType(MLIRContext *context, int32_t dataType) {
  Builder b(context);
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
    return b.getI8Type();
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
    return b.getI16Type();
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
    return b.getI32Type();
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
    return b.getI64Type();
  default:
    return {};
  }
}

bool onnx_import::isSupportedDataType(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
  case onnx::TensorProto::BOOL:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
    return true;
  default:
    return false;
  }
}

bool onnx_import::isUnsignedDataType(int32_t dataType) {
  return dataType == onnx::TensorProto::UINT8 ||
         dataType == onnx::TensorProto::UINT16 ||
         dataType == onnx::TensorProto::UINT32 ||
         dataType == onnx::TensorProto::UINT64;
}

std::string onnx_import::getDataTypeName(int32_t dataType) {
  if (!onnx::TensorProto_DataType_IsValid(dataType))
    return "<invalid " + std::to_string(dataType) + ">";
  return onnx::TensorProto_DataType_Name(
      static_cast<onnx::TensorProto_DataType>(dataType));
}

/// Returns the size in bytes of one element of `dataType` in raw_data.
static size_t getRawWidth(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
    return 8;
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
    return 4;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
    return 2;
  default:
    return 1;
  }
}

DenseElementsAttr onnx_import::convertTensor(MLIRContext *context,
                                             const onnx::TensorProto &tensor,
                                             std::string &error) {
  int32_t dataType = tensor.data_type();
  Type elementType = getElementType(context, dataType);
  if (!elementType) {
    error = "tensor '" + tensor.name() + "' has unsupported dtype " +
            getDataTypeName(dataType);
    return {};
  }
  SmallVector<int64_t> shape;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0) {
      error = "tensor '" + tensor.name() + "' has a negative dimension";
      return {};
    }
    shape.push_back(dim);
  }
  auto type = RankedTensorType::get(shape, elementType);
  size_t count = type.getNumElements();
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    error = "tensor '" + tensor.name() + "' has unresolved external data";
    return {};
  }
  auto sizeError = [&](size_t actual) {
    error = "tensor '" + tensor.name() + "' has " + std::to_string(actual) +
            " values but its shape needs " + std::to_string(count);
    return DenseElementsAttr();
  };

  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    size_t width = getRawWidth(dataType);
    if (raw.size() != count * width)
      return sizeError(raw.size() / width);
    if (dataType == onnx::TensorProto::BOOL) {
      SmallVector<bool> values;
      for (char c : raw)
        values.push_back(c != 0);
      return DenseElementsAttr::get(type, ArrayRef<bool>(values));
    }
    // ONNX raw data is little-endian, like every host Ingot targets.
    return DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(raw.data(), raw.size()));
  }

  unsigned width = elementType.getIntOrFloatBitWidth();
  switch (dataType) {
  case onnx::TensorProto::FLOAT: {
    if (static_cast<size_t>(tensor.float_data_size()) != count)
      return sizeError(tensor.float_data_size());
    SmallVector<float> values(tensor.float_data().begin(),
                              tensor.float_data().end());
    return DenseElementsAttr::get(type, ArrayRef<float>(values));
  }
  case onnx::TensorProto::DOUBLE: {
    if (static_cast<size_t>(tensor.double_data_size()) != count)
      return sizeError(tensor.double_data_size());
    SmallVector<double> values(tensor.double_data().begin(),
                               tensor.double_data().end());
    return DenseElementsAttr::get(type, ArrayRef<double>(values));
  }
  case onnx::TensorProto::INT64: {
    if (static_cast<size_t>(tensor.int64_data_size()) != count)
      return sizeError(tensor.int64_data_size());
    SmallVector<int64_t> values(tensor.int64_data().begin(),
                                tensor.int64_data().end());
    return DenseElementsAttr::get(type, ArrayRef<int64_t>(values));
  }
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64: {
    if (static_cast<size_t>(tensor.uint64_data_size()) != count)
      return sizeError(tensor.uint64_data_size());
    SmallVector<APInt> values;
    for (uint64_t v : tensor.uint64_data())
      values.push_back(APInt(64, v).trunc(width));
    return DenseElementsAttr::get(type, values);
  }
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16: {
    if (static_cast<size_t>(tensor.int32_data_size()) != count)
      return sizeError(tensor.int32_data_size());
    const llvm::fltSemantics &semantics =
        cast<FloatType>(elementType).getFloatSemantics();
    SmallVector<APFloat> values;
    for (int32_t bits : tensor.int32_data())
      values.push_back(APFloat(semantics, APInt(16, bits & 0xffff)));
    return DenseElementsAttr::get(type, values);
  }
  case onnx::TensorProto::BOOL:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::INT32: {
    if (static_cast<size_t>(tensor.int32_data_size()) != count)
      return sizeError(tensor.int32_data_size());
    SmallVector<APInt> values;
    for (int32_t v : tensor.int32_data())
      values.push_back(APInt(32, static_cast<uint32_t>(v)).trunc(width));
    return DenseElementsAttr::get(type, values);
  }
  default:
    error = "tensor '" + tensor.name() + "' has unsupported dtype " +
            getDataTypeName(dataType);
    return {};
  }
}

/// Converts an ONNX value type into a ranked tensor type (unknown sizes are
/// dynamic), or returns null if it is not a tensor of known rank and
/// supported dtype.
static RankedTensorType convertType(MLIRContext *context,
                                    const onnx::TypeProto &type) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape())
    return {};
  Type elementType = getElementType(context, type.tensor_type().elem_type());
  if (!elementType)
    return {};
  SmallVector<int64_t> shape;
  for (const auto &dim : type.tensor_type().shape().dim())
    shape.push_back(dim.has_dim_value() && dim.dim_value() >= 0
                        ? dim.dim_value()
                        : ShapedType::kDynamic);
  return RankedTensorType::get(shape, elementType);
}

/// Returns the ONNX data type of a tensor type's elements, or of a sequence
/// type's tensors, or 0.
static int32_t getDataType(const onnx::TypeProto &type) {
  if (type.has_tensor_type())
    return type.tensor_type().elem_type();
  if (type.has_sequence_type() && type.sequence_type().has_elem_type())
    return getDataType(type.sequence_type().elem_type());
  return 0;
}

/// Returns "sequence" or "optional" for those types, or "".
static StringRef getNonTensorKind(const onnx::TypeProto &type) {
  if (type.has_sequence_type())
    return "sequence";
  if (type.has_optional_type())
    return "optional";
  return "";
}

//===----------------------------------------------------------------------===//
// ModelImporter
//===----------------------------------------------------------------------===//

namespace {

/// Imports one model: load, check, infer, then build the module.
class ModelImporter {
public:
  ModelImporter(MLIRContext *context, StringRef name)
      : context(context), name(name.str()),
        fileLoc(FileLineColLoc::get(context, name, 0, 0)) {}
  /// An importer of a copy of an already loaded model.
  ModelImporter(MLIRContext *context, StringRef name,
                const onnx::ModelProto &model)
      : ModelImporter(context, name) {
    this->model = model;
  }

  /// The loaded model.
  onnx::ModelProto &getModel() { return model; }
  /// The location naming the model file.
  Location getLoc() const { return fileLoc; }

  /// Parses `buffer` and inlines external data.
  LogicalResult load(StringRef buffer, bool isText);
  /// Emits one error listing every node Ingot cannot import.
  LogicalResult checkSupport();
  /// Sets a dynamic dim 0 of the inputs to a tile of `batchTile` rows (0:
  /// keep dynamic dims as they are).
  LogicalResult specializeBatch(int64_t batchTile);
  /// Runs the ONNX checker and strict shape inference.
  LogicalResult checkAndInferShapes();
  /// Turns Constant nodes of opset < 9 whose value is not a float tensor into
  /// initializers: Constant-1 only allows float types, but exporters (and
  /// ONNX Runtime) use it for int64 shapes, which strict type checking
  /// rejects. The value is the same either way.
  void liftLegacyConstants();
  /// Builds the module.
  OwningOpRef<ModuleOp> buildModule();

private:
  LogicalResult loadExternalData(onnx::TensorProto &tensor);
  int64_t getOpset(const std::string &domain) const;
  std::string nodeName(const onnx::NodeProto &node, int index) const;

  MLIRContext *context;
  std::string name;
  Location fileLoc;
  onnx::ModelProto model;
  /// Rows of the tile when the batch is dynamic, else 0.
  int64_t batchTile = 0;
  /// The inputs whose dim 0 is the dynamic batch.
  SmallVector<std::string> batchedInputs;
  /// Contents of external data files, by path.
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> externalFiles;
};

} // namespace

LogicalResult ModelImporter::load(StringRef buffer, bool isText) {
  try {
    if (isText) {
      std::string text = buffer.str();
      onnx::Status status = onnx::OnnxParser::Parse(model, text.c_str());
      if (!status.IsOK())
        return emitError(fileLoc)
               << "cannot parse ONNX text: " << status.ErrorMessage();
    } else if (buffer.size() > static_cast<size_t>(INT32_MAX) ||
               !model.ParseFromArray(buffer.data(),
                                     static_cast<int>(buffer.size()))) {
      return emitError(fileLoc) << "not a valid ONNX model (protobuf)";
    }
  } catch (const std::exception &e) {
    return emitError(fileLoc) << "cannot parse ONNX model: " << e.what();
  }
  // Name unnamed nodes so that ONNX's own errors (checker, shape inference)
  // name them too.
  for (auto [index, node] :
       llvm::enumerate(*model.mutable_graph()->mutable_node()))
    node.set_name(nodeName(node, index));
  for (onnx::TensorProto &tensor :
       *model.mutable_graph()->mutable_initializer())
    if (failed(loadExternalData(tensor)))
      return failure();
  return success();
}

LogicalResult ModelImporter::loadExternalData(onnx::TensorProto &tensor) {
  if (tensor.data_location() != onnx::TensorProto::EXTERNAL)
    return success();
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      offset = std::strtoull(entry.value().c_str(), nullptr, 10);
    else if (entry.key() == "length")
      length = std::strtoull(entry.value().c_str(), nullptr, 10);
  }
  auto fail = [&]() {
    return emitError(fileLoc)
           << "external data of tensor '" << tensor.name() << "': ";
  };
  if (location.empty())
    return fail() << "no location";
  if (llvm::sys::path::is_absolute(location) ||
      llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                          llvm::sys::path::end(location)),
                         ".."))
    return fail() << "location '" << location
                  << "' must be relative to the model's directory";
  SmallString<256> path(llvm::sys::path::parent_path(name));
  llvm::sys::path::append(path, location);
  auto &file = externalFiles[path];
  if (!file) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer)
      return fail() << "cannot read '" << path
                    << "': " << buffer.getError().message();
    file = std::move(*buffer);
  }
  uint64_t size = file->getBufferSize();
  uint64_t count = length.value_or(offset <= size ? size - offset : 0);
  if (offset > size || count > size - offset)
    return fail() << "offset " << offset << " + length " << count
                  << " is past the end of '" << path << "' (" << size
                  << " bytes)";
  tensor.set_raw_data(file->getBufferStart() + offset, count);
  tensor.clear_external_data();
  tensor.set_data_location(onnx::TensorProto::DEFAULT);
  return success();
}

int64_t ModelImporter::getOpset(const std::string &domain) const {
  bool isDefault = domain.empty() || domain == "ai.onnx";
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    bool opsetDefault = opset.domain().empty() || opset.domain() == "ai.onnx";
    if (isDefault ? opsetDefault : opset.domain() == domain)
      return opset.version();
  }
  return 0;
}

std::string ModelImporter::nodeName(const onnx::NodeProto &node,
                                    int index) const {
  if (!node.name().empty())
    return node.name();
  return node.op_type() + "_" + std::to_string(index);
}

LogicalResult ModelImporter::checkSupport() {
  const onnx::GraphProto &graph = model.graph();
  std::unordered_map<std::string, int32_t> dataTypes;
  auto record = [&](const onnx::ValueInfoProto &info) {
    if (int32_t dataType = getDataType(info.type()))
      dataTypes[info.name()] = dataType;
  };
  for (const auto &info : graph.input())
    record(info);
  for (const auto &info : graph.output())
    record(info);
  for (const auto &info : graph.value_info())
    record(info);
  for (const auto &tensor : graph.initializer())
    dataTypes[tensor.name()] = tensor.data_type();
  auto dataTypeOf = [&](const std::string &value) -> int32_t {
    auto it = dataTypes.find(value);
    return it == dataTypes.end() ? 0 : it->second;
  };

  SmallVector<std::string> unsupported;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    int64_t opset = getOpset(node.domain());
    std::string reason = checkNodeSupport(node, opset, dataTypeOf);
    if (reason.empty())
      continue;
    std::string opType = node.domain().empty() || node.domain() == "ai.onnx"
                             ? node.op_type()
                             : node.domain() + "." + node.op_type();
    std::string entry = "node '" + nodeName(node, index) + "' (" + opType +
                        ", opset " + std::to_string(opset);
    if (reason != "unsupported op")
      entry += ": " + reason;
    unsupported.push_back(entry + ")");
  }
  if (unsupported.empty())
    return success();
  InFlightDiagnostic diag = emitError(fileLoc);
  diag << unsupported.size() << " unsupported op"
       << (unsupported.size() == 1 ? "" : "s") << ": ";
  llvm::interleave(
      unsupported, [&](const std::string &s) { diag << s; },
      [&] { diag << ", "; });
  return failure();
}

void ModelImporter::liftLegacyConstants() {
  if (getOpset("") >= 9)
    return;
  onnx::GraphProto &graph = *model.mutable_graph();
  auto isFloat = [](int32_t dataType) {
    return dataType == onnx::TensorProto::FLOAT ||
           dataType == onnx::TensorProto::FLOAT16 ||
           dataType == onnx::TensorProto::DOUBLE;
  };
  google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
  for (onnx::NodeProto &node : *graph.mutable_node()) {
    const onnx::AttributeProto *value = findAttr(node, "value");
    bool lift = (node.domain().empty() || node.domain() == "ai.onnx") &&
                node.op_type() == "Constant" && node.output_size() == 1 &&
                node.attribute_size() == 1 && value &&
                value->type() == onnx::AttributeProto::TENSOR &&
                !isFloat(value->t().data_type());
    if (!lift) {
      *kept.Add() = std::move(node);
      continue;
    }
    onnx::TensorProto *tensor = graph.add_initializer();
    *tensor = value->t();
    tensor->set_name(node.output(0));
    // IR < 4 requires every initializer to be a graph input too.
    if (model.ir_version() < 4) {
      onnx::ValueInfoProto *input = graph.add_input();
      input->set_name(node.output(0));
      auto *tensorType = input->mutable_type()->mutable_tensor_type();
      tensorType->set_elem_type(tensor->data_type());
      auto *shape = tensorType->mutable_shape();
      for (int64_t dim : tensor->dims())
        shape->add_dim()->set_dim_value(dim);
    }
  }
  graph.mutable_node()->Swap(&kept);
}

LogicalResult ModelImporter::specializeBatch(int64_t tile) {
  if (tile <= 0)
    return success();
  if (failed(onnx_import::specializeBatch(model, fileLoc, tile, batchedInputs)))
    return failure();
  if (!batchedInputs.empty())
    batchTile = tile;
  return success();
}

LogicalResult ModelImporter::checkAndInferShapes() {
  liftLegacyConstants();
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    return emitError(fileLoc)
           << "invalid ONNX model: " << StringRef(e.what()).trim();
  }
  try {
    onnx::ShapeInferenceOptions options(/*check_type=*/true,
                                        /*strict_mode=*/1,
                                        /*data_prop=*/false);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception &e) {
    return emitError(fileLoc)
           << "shape inference failed: " << StringRef(e.what()).trim();
  }
  return success();
}

OwningOpRef<ModuleOp> ModelImporter::buildModule() {
  const onnx::GraphProto &graph = model.graph();
  OpBuilder b(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());

  std::unordered_map<std::string, const onnx::TensorProto *> initializers;
  for (const auto &tensor : graph.initializer())
    initializers[tensor.name()] = &tensor;

  // Arguments: graph inputs that are not initializers.
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializers.count(input.name()))
      continue;
    if (StringRef kind = getNonTensorKind(input.type()); !kind.empty()) {
      emitError(fileLoc) << "graph input '" << input.name() << "' is "
                         << (kind == "optional"
                                 ? "an optional; Ingot does not import "
                                   "optional values"
                                 : "a sequence; Ingot imports sequences only "
                                   "between the sequence operators inside a "
                                   "graph");
      return {};
    }
    RankedTensorType type = convertType(context, input.type());
    if (!type) {
      emitError(fileLoc) << "graph input '" << input.name()
                         << "' must be a tensor of known rank and a "
                            "supported dtype";
      return {};
    }
    argTypes.push_back(type);
    argNames.push_back(input.name());
  }
  auto func =
      b.create<func::FuncOp>(fileLoc, "main", b.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);

  std::unordered_map<std::string, Value> values;
  // Sequence values (OnnxSequenceOps.cpp), by name.
  std::unordered_map<std::string, SequenceValue> sequences;
  for (auto [i, argName] : llvm::enumerate(argNames)) {
    values[argName] = body->getArgument(i);
    func.setArgAttr(i, "ingot.name", b.getStringAttr(argName));
  }
  // Integer tensors are signless: the signature records unsignedness.
  unsigned argIndex = 0;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializers.count(input.name()))
      continue;
    if (isUnsignedDataType(input.type().tensor_type().elem_type()))
      func.setArgAttr(argIndex, "ingot.unsigned", b.getUnitAttr());
    ++argIndex;
  }
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    std::string error;
    DenseElementsAttr value = convertTensor(context, tensor, error);
    if (!value) {
      emitError(fileLoc) << "initializer: " << error;
      return {};
    }
    Location loc = NameLoc::get(b.getStringAttr(tensor.name()), fileLoc);
    values[tensor.name()] = b.create<graph::ConstantOp>(loc, value);
  }

  // Types ONNX inferred for intermediate values and outputs, and the ONNX
  // data type of every value.
  std::unordered_map<std::string, RankedTensorType> inferred;
  std::unordered_map<std::string, int32_t> dataTypes;
  for (const auto &info : graph.value_info())
    inferred[info.name()] = convertType(context, info.type());
  for (const auto &info : graph.output())
    inferred[info.name()] = convertType(context, info.type());
  for (const auto *infos :
       {&graph.input(), &graph.value_info(), &graph.output()})
    for (const onnx::ValueInfoProto &info : *infos)
      if (info.type().has_tensor_type())
        dataTypes[info.name()] = info.type().tensor_type().elem_type();
  for (const onnx::TensorProto &tensor : graph.initializer())
    dataTypes[tensor.name()] = tensor.data_type();

  SmallVector<RuntimeCheck> checks;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    std::string displayName = nodeName(node, index);
    Location loc = NameLoc::get(b.getStringAttr(displayName), fileLoc);
    NodeContext ctx{b,  loc, node, displayName, getOpset(node.domain()),
                    {}, {},  {},   {},          checks};
    bool hasSequenceInput = false;
    for (const std::string &input : node.input()) {
      auto dataType = dataTypes.find(input);
      ctx.inputDataTypes.push_back(
          dataType == dataTypes.end() ? 0 : dataType->second);
      auto sequence = sequences.find(input);
      ctx.sequenceInputs.push_back(
          sequence == sequences.end() ? nullptr : &sequence->second);
      if (input.empty() || sequence != sequences.end()) {
        hasSequenceInput |= sequence != sequences.end();
        ctx.inputs.push_back(Value());
        continue;
      }
      auto it = values.find(input);
      if (it == values.end()) {
        ctx.emitError() << "input '" << input << "' is not defined";
        return {};
      }
      ctx.inputs.push_back(it->second);
    }
    for (const std::string &output : node.output()) {
      auto it = inferred.find(output);
      ctx.inferredTypes.push_back(it == inferred.end() ? RankedTensorType()
                                                       : it->second);
    }
    if (hasSequenceInput || isSequenceOp(node)) {
      FailureOr<SequenceResult> result = importSequenceNode(ctx);
      if (failed(result))
        return {};
      if (node.output_size() != 1) {
        ctx.emitError() << "expected one output";
        return {};
      }
      if (result->sequence)
        sequences[node.output(0)] = std::move(*result->sequence);
      else
        values[node.output(0)] = result->tensor;
      continue;
    }
    FailureOr<SmallVector<Value>> results = importNode(ctx);
    if (failed(results))
      return {};
    for (auto [output, result] : llvm::zip(node.output(), *results))
      values[output] = result;
  }

  // Results: the graph outputs, named.
  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    if (sequences.count(output.name())) {
      emitError(fileLoc) << "graph output '" << output.name()
                         << "' is a sequence; Ingot imports sequences only "
                            "between the sequence operators inside a graph";
      return {};
    }
    auto it = values.find(output.name());
    if (it == values.end()) {
      emitError(fileLoc) << "graph output '" << output.name()
                         << "' is not produced by any node";
      return {};
    }
    results.push_back(it->second);
  }
  // Then the run-time checks (rank-0 i32 results marked `ingot.check`).
  for (const RuntimeCheck &check : checks)
    results.push_back(check.condition);
  b.create<func::ReturnOp>(fileLoc, results);
  func.setFunctionType(
      b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.output())) {
    func.setResultAttr(i, "ingot.name", b.getStringAttr(output.name()));
    if (isUnsignedDataType(output.type().tensor_type().elem_type()))
      func.setResultAttr(i, "ingot.unsigned", b.getUnitAttr());
  }
  for (auto [i, check] : llvm::enumerate(checks))
    func.setResultAttr(graph.output_size() + i, "ingot.check",
                       b.getStringAttr(check.message));

  // A dynamic batch: prove the tile program computes every row alone, then
  // mark the batched parameters for the module writer.
  if (batchTile > 0) {
    auto lookup = [&](const std::string &name) {
      auto it = values.find(name);
      return it == values.end() ? Value() : it->second;
    };
    if (failed(analyzeBatch(
            graph, batchedInputs, batchTile, fileLoc, lookup,
            [&](const std::string &domain) { return getOpset(domain); })))
      return {};
    func->setAttr("ingot.batch_tile", b.getI64IntegerAttr(batchTile));
    for (auto [i, argName] : llvm::enumerate(argNames))
      if (llvm::is_contained(batchedInputs, argName))
        func.setArgAttr(i, "ingot.batched", b.getUnitAttr());
    // The model's outputs; run-time checks (after them) are not batched.
    for (int i = 0; i < graph.output_size(); ++i)
      func.setResultAttr(i, "ingot.batched", b.getUnitAttr());
  }

  if (failed(verify(*module)))
    return {};
  return module;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> mlir::ingot::importOnnxBuffer(
    MLIRContext *context, StringRef buffer, StringRef bufferName, bool isText,
    int64_t batchTile, ArrayRef<DimValues> dimValues) {
  context->loadDialect<graph::GraphDialect, func::FuncDialect>();
  ModelImporter importer(context, bufferName);
  if (failed(importer.load(buffer, isText)) || failed(importer.checkSupport()))
    return {};
  if (dimValues.empty()) {
    if (failed(importer.specializeBatch(batchTile)) ||
        failed(importer.checkAndInferShapes()))
      return {};
    return importer.buildModule();
  }

  // Size variants: one import per combination of sizes, each of a copy of
  // the model with those dims set.
  FailureOr<SmallVector<SizeVariant>> variants =
      planSizeVariants(importer.getModel(), importer.getLoc(), dimValues);
  if (failed(variants))
    return {};
  // Each variant imports a copy of the model without its weights; the
  // weights move into the copy being imported and back, never copied. The
  // legacy constants are lifted once, so no copy adds initializers.
  importer.liftLegacyConstants();
  auto *baseWeights =
      importer.getModel().mutable_graph()->mutable_initializer();
  google::protobuf::RepeatedPtrField<onnx::TensorProto> weights;
  weights.Swap(baseWeights);
  SmallVector<OwningOpRef<ModuleOp>> modules;
  for (const SizeVariant &variant : *variants) {
    ModelImporter one(context, bufferName, importer.getModel());
    auto *oneWeights = one.getModel().mutable_graph()->mutable_initializer();
    oneWeights->Swap(&weights);
    specializeDims(one.getModel(), variant);
    OwningOpRef<ModuleOp> module;
    if (succeeded(one.specializeBatch(batchTile)) &&
        succeeded(one.checkAndInferShapes()))
      module = one.buildModule();
    oneWeights->Swap(&weights);
    if (!module) {
      InFlightDiagnostic diag = emitError(importer.getLoc())
                                << "(in the size variant";
      for (const auto &[name, size] : variant.sizes)
        diag << " " << name << "=" << size;
      diag << ")";
      return {};
    }
    modules.push_back(std::move(module));
  }
  baseWeights->Swap(&weights);
  return mergeSizeVariants(importer.getLoc(), importer.getModel(), dimValues,
                           *variants, modules);
}

LogicalResult mlir::ingot::checkOnnxBufferSupport(MLIRContext *context,
                                                  StringRef buffer,
                                                  StringRef bufferName,
                                                  bool isText) {
  ModelImporter importer(context, bufferName);
  if (failed(importer.load(buffer, isText)))
    return failure();
  return importer.checkSupport();
}

/// Reads `path` into memory, emitting an error on `context` on failure.
static std::unique_ptr<llvm::MemoryBuffer> readFile(MLIRContext *context,
                                                    StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot read the model: " << buffer.getError().message();
    return nullptr;
  }
  return std::move(*buffer);
}

OwningOpRef<ModuleOp>
mlir::ingot::importOnnxFile(MLIRContext *context, StringRef path,
                            int64_t batchTile, ArrayRef<DimValues> dimValues) {
  std::unique_ptr<llvm::MemoryBuffer> buffer = readFile(context, path);
  if (!buffer)
    return {};
  return importOnnxBuffer(context, buffer->getBuffer(), path,
                          path.ends_with(".onnxtext"), batchTile, dimValues);
}

LogicalResult mlir::ingot::checkOnnxFileSupport(MLIRContext *context,
                                                StringRef path) {
  std::unique_ptr<llvm::MemoryBuffer> buffer = readFile(context, path);
  if (!buffer)
    return failure();
  return checkOnnxBufferSupport(context, buffer->getBuffer(), path,
                                path.ends_with(".onnxtext"));
}
