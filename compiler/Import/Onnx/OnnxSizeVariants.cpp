//===- OnnxSizeVariants.cpp - Size variants of symbolic dims ----*- C++ -*-===//
//
// Plans the combinations of `--dim-values` sizes, specializes a copy of the
// model to one of them, and merges the per-variant functions under one
// dynamic declaration (see OnnxSizeVariants.h).
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxSizeVariants.h"
#include "compiler/Import/Onnx/OnnxBatch.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

/// Calls `fn(input, index, dim)` for every dim of every graph input that is
/// not an initializer.
template <typename Model, typename Fn>
static void forEachInputDim(Model &model, Fn fn) {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &tensor : model.graph().initializer())
    initializers.insert(tensor.name());
  unsigned argIndex = 0;
  for (const onnx::ValueInfoProto &input : model.graph().input()) {
    if (initializers.contains(input.name()))
      continue;
    if (input.type().has_tensor_type() &&
        input.type().tensor_type().has_shape())
      for (auto [index, dim] :
           llvm::enumerate(input.type().tensor_type().shape().dim()))
        fn(input, argIndex, index, dim);
    ++argIndex;
  }
}

/// `name` with every character that is not a letter or digit made '_'.
static std::string sanitize(StringRef name) {
  std::string result = name.str();
  for (char &c : result)
    if (!llvm::isAlnum(c))
      c = '_';
  return result;
}

FailureOr<SmallVector<SizeVariant>>
onnx_import::planSizeVariants(const onnx::ModelProto &model, Location loc,
                              ArrayRef<DimValues> dimValues) {
  // Where each dim_param of the inputs appears, in order of first use.
  llvm::StringMap<std::string> uses;
  SmallVector<std::string> order;
  forEachInputDim(model, [&](const onnx::ValueInfoProto &input, unsigned,
                             size_t index, const auto &dim) {
    if (dim.has_dim_value() || dim.dim_param().empty())
      return;
    auto [it, inserted] = uses.try_emplace(dim.dim_param());
    if (inserted)
      order.push_back(dim.dim_param());
    else
      it->second += ", ";
    it->second += "input '" + input.name() + "' dim " + std::to_string(index);
  });
  uint64_t count = 1;
  std::string product;
  for (const DimValues &entry : dimValues) {
    if (!uses.count(entry.name)) {
      InFlightDiagnostic diag = emitError(loc)
                                << "--dim-values: the model has no input "
                                   "dim named '"
                                << entry.name << "'";
      if (order.empty()) {
        diag << "; its inputs have no named (dim_param) dynamic dims";
      } else {
        diag << "; its named dynamic dims are ";
        llvm::interleaveComma(order, diag, [&](const std::string &name) {
          diag << "'" << name << "' (" << uses[name] << ")";
        });
      }
      return failure();
    }
    count *= entry.sizes.size();
    if (!product.empty())
      product += " x ";
    product +=
        entry.name + ": " + std::to_string(entry.sizes.size()) + " sizes";
    if (count > kMaxSizeVariants)
      break;
  }
  if (count > kMaxSizeVariants) {
    emitError(loc) << "--dim-values asks for more than " << kMaxSizeVariants
                   << " size variants (" << product << "); list fewer sizes";
    return failure();
  }

  SmallVector<SizeVariant> variants(1);
  for (const DimValues &entry : dimValues) {
    SmallVector<SizeVariant> next;
    for (const SizeVariant &prefix : variants)
      for (int64_t size : entry.sizes) {
        SizeVariant variant = prefix;
        variant.suffix += (variant.suffix.empty() ? "" : "_") +
                          sanitize(entry.name) + std::to_string(size);
        variant.sizes.emplace_back(entry.name, size);
        next.push_back(std::move(variant));
      }
    variants = std::move(next);
  }
  return variants;
}

void onnx_import::specializeDims(onnx::ModelProto &model,
                                 const SizeVariant &variant) {
  forEachSymbolicDim(*model.mutable_graph(), /*inputs=*/true,
                     [&](onnx::TensorShapeProto::Dimension &dim) {
                       for (const auto &[name, size] : variant.sizes)
                         if (dim.dim_param() == name)
                           dim.set_dim_value(size);
                     });
}

/// The variant's description for messages, e.g. "S=4, T=8".
static std::string describe(const SizeVariant &variant) {
  std::string result;
  for (const auto &[name, size] : variant.sizes)
    result += (result.empty() ? "" : ", ") + name + "=" + std::to_string(size);
  return result;
}

OwningOpRef<ModuleOp>
onnx_import::mergeSizeVariants(Location loc, const onnx::ModelProto &model,
                               ArrayRef<DimValues> dimValues,
                               ArrayRef<SizeVariant> variants,
                               MutableArrayRef<OwningOpRef<ModuleOp>> modules) {
  MLIRContext *context = loc.getContext();
  llvm::StringSet<> varied;
  for (const DimValues &entry : dimValues)
    varied.insert(entry.name);

  SmallVector<func::FuncOp> funcs;
  for (OwningOpRef<ModuleOp> &module : modules)
    funcs.push_back(cast<func::FuncOp>(
        SymbolTable::lookupSymbolIn(module->getOperation(), "main")));
  func::FuncOp first = funcs.front();
  FunctionType firstType = first.getFunctionType();

  // The declaration has the model's outputs; run-time checks (results after
  // them, `ingot.check`) stay each variant's own.
  unsigned resultCount = model.graph().output_size();
  // The variants agree on everything but the sizes they were built for.
  auto sameKind = [](Type a, Type b) {
    auto ta = cast<RankedTensorType>(a), tb = cast<RankedTensorType>(b);
    return ta.getElementType() == tb.getElementType() &&
           ta.getRank() == tb.getRank();
  };
  for (auto [variant, func] : llvm::zip(variants, funcs)) {
    FunctionType type = func.getFunctionType();
    bool same =
        type.getNumInputs() == firstType.getNumInputs() &&
        type.getNumResults() >= resultCount &&
        llvm::all_of(llvm::zip(type.getInputs(), firstType.getInputs()),
                     [&](auto pair) {
                       return sameKind(std::get<0>(pair), std::get<1>(pair));
                     }) &&
        llvm::all_of(llvm::zip(type.getResults().take_front(resultCount),
                               firstType.getResults()),
                     [&](auto pair) {
                       return sameKind(std::get<0>(pair), std::get<1>(pair));
                     });
    if (!same) {
      emitError(loc) << "size variant " << describe(variant)
                     << " has a different signature (" << type
                     << ") than size variant " << describe(variants.front())
                     << " (" << firstType
                     << "); the model's outputs change rank or type with the "
                        "sizes";
      return {};
    }
  }

  // Inputs: '?' where the model names a varied dim.
  SmallVector<SmallVector<int64_t>> inputShapes;
  for (Type type : firstType.getInputs())
    inputShapes.emplace_back(cast<RankedTensorType>(type).getShape());
  forEachInputDim(model, [&](const onnx::ValueInfoProto &, unsigned arg,
                             size_t index, const auto &dim) {
    if (!dim.has_dim_value() && varied.contains(dim.dim_param()) &&
        arg < inputShapes.size() && index < inputShapes[arg].size())
      inputShapes[arg][index] = ShapedType::kDynamic;
  });
  // Outputs: '?' where the variants differ or the model names a varied dim.
  SmallVector<SmallVector<int64_t>> outputShapes;
  for (auto [i, type] :
       llvm::enumerate(firstType.getResults().take_front(resultCount))) {
    SmallVector<int64_t> shape(cast<RankedTensorType>(type).getShape());
    for (func::FuncOp func : funcs) {
      ArrayRef<int64_t> other =
          cast<RankedTensorType>(func.getFunctionType().getResult(i))
              .getShape();
      for (auto [dim, otherDim] : llvm::zip(shape, other))
        if (dim != otherDim)
          dim = ShapedType::kDynamic;
    }
    const onnx::TypeProto &declared = model.graph().output(i).type();
    if (declared.has_tensor_type() && declared.tensor_type().has_shape())
      for (auto [index, dim] :
           llvm::enumerate(declared.tensor_type().shape().dim()))
        if (!dim.has_dim_value() && varied.contains(dim.dim_param()) &&
            index < shape.size())
          shape[index] = ShapedType::kDynamic;
    outputShapes.push_back(std::move(shape));
  }
  auto withShapes = [](TypeRange types, ArrayRef<SmallVector<int64_t>> shapes) {
    SmallVector<Type> result;
    for (auto [type, shape] : llvm::zip(types, shapes))
      result.push_back(cast<RankedTensorType>(type).clone(shape));
    return result;
  };

  OwningOpRef<ModuleOp> merged = ModuleOp::create(loc);
  OpBuilder b(context);
  b.setInsertionPointToEnd(merged->getBody());
  auto entry = b.create<func::FuncOp>(
      loc, "main",
      b.getFunctionType(
          withShapes(firstType.getInputs(), inputShapes),
          withShapes(firstType.getResults().take_front(resultCount),
                     outputShapes)));
  entry.setPrivate();
  for (unsigned i = 0; i < firstType.getNumInputs(); ++i)
    if (DictionaryAttr attrs = first.getArgAttrDict(i))
      entry.setArgAttrs(i, attrs);
  for (unsigned i = 0; i < resultCount; ++i)
    if (DictionaryAttr attrs = first.getResultAttrDict(i))
      entry.setResultAttrs(i, attrs);
  if (Attribute tile = first->getAttr("ingot.batch_tile"))
    entry->setAttr("ingot.batch_tile", tile);

  SmallVector<Attribute> symbols;
  llvm::StringSet<> names{"main"};
  for (auto [index, variant, func] : llvm::enumerate(variants, funcs)) {
    std::string name = "main_" + variant.suffix;
    if (!names.insert(name).second)
      name = "main_v" + std::to_string(index);
    func->remove();
    func.setSymName(name);
    merged->getBody()->push_back(func);
    symbols.push_back(FlatSymbolRefAttr::get(context, name));
  }
  entry->setAttr("ingot.variants", b.getArrayAttr(symbols));
  return merged;
}
