// RUN: ingot-opt --ingot-convert-graph-to-linalg -split-input-file %s | FileCheck %s

// Bias add: the 1-D operand is read through a map that drops the row dim.
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @bias_add
// CHECK-SAME: (%[[X:.*]]: tensor<1x512xf32> {ingot.name = "x"}, %[[B:.*]]: tensor<512xf32>) -> (tensor<1x512xf32> {ingot.name = "y"})
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x512xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[COL]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[B]] : tensor<1x512xf32>, tensor<512xf32>) outs(%[[E]] : tensor<1x512xf32>)
// CHECK: %[[S:.*]] = arith.addf
// CHECK: linalg.yield %[[S]]
// CHECK: return %[[R]]
func.func @bias_add(%x: tensor<1x512xf32> {ingot.name = "x"}, %b: tensor<512xf32>) -> (tensor<1x512xf32> {ingot.name = "y"}) {
  %0 = graph.add %x, %b : (tensor<1x512xf32>, tensor<512xf32>) -> tensor<1x512xf32>
  return %0 : tensor<1x512xf32>
}

// -----

// Broadcast unit dims are collapsed away so maps stay projected permutations;
// dynamic sizes come from the operand that has them.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @broadcast_unit_dims
// CHECK-SAME: (%[[L:.*]]: tensor<?x1x4xi32>, %[[R:.*]]: tensor<3x1xi32>)
// CHECK: %[[DIM:.*]] = tensor.dim %[[L]], %{{.*}} : tensor<?x1x4xi32>
// CHECK: %[[LC:.*]] = tensor.collapse_shape %[[L]] {{\[}}[0, 1], [2]] : tensor<?x1x4xi32> into tensor<?x4xi32>
// CHECK: %[[RC:.*]] = tensor.collapse_shape %[[R]] {{\[}}[0, 1]] : tensor<3x1xi32> into tensor<3xi32>
// CHECK: %[[E:.*]] = tensor.empty(%[[DIM]]) : tensor<?x3x4xi32>
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[LC]], %[[RC]] : tensor<?x4xi32>, tensor<3xi32>) outs(%[[E]] : tensor<?x3x4xi32>)
// CHECK: arith.addi
func.func @broadcast_unit_dims(%a: tensor<?x1x4xi32>, %b: tensor<3x1xi32>) -> tensor<?x3x4xi32> {
  %0 = graph.add %a, %b : (tensor<?x1x4xi32>, tensor<3x1xi32>) -> tensor<?x3x4xi32>
  return %0 : tensor<?x3x4xi32>
}

// -----

// A scalar-like operand becomes rank 0 and is read through an empty map.
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @scalar_operands
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SCALAR]], #{{.*}}]
// CHECK: arith.divf
// CHECK: tensor.collapse_shape %{{.*}} [] : tensor<1x1xf32> into tensor<f32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SCALAR]], #{{.*}}]
// CHECK: arith.subf
// CHECK: arith.muli
func.func @scalar_operands(%a: tensor<2x3xf32>, %s: tensor<f32>, %o: tensor<1x1xf32>, %i: tensor<4xi64>) -> (tensor<2x3xf32>, tensor<4xi64>) {
  %0 = graph.div %a, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = graph.sub %0, %o : (tensor<2x3xf32>, tensor<1x1xf32>) -> tensor<2x3xf32>
  %2 = graph.mul %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %1, %2 : tensor<2x3xf32>, tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK: linalg.generic
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.maximumf %{{.*}}, %[[ZERO]] : f32
// CHECK: linalg.generic
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[NEG:.*]] = arith.negf
// CHECK: %[[EXP:.*]] = math.exp %[[NEG]]
// CHECK: %[[DEN:.*]] = arith.addf %[[ONE]], %[[EXP]]
// CHECK: arith.divf %[[ONE]], %[[DEN]]
// CHECK: linalg.generic
// CHECK: math.tanh
// CHECK: linalg.generic
// CHECK: arith.maxsi
func.func @activations(%x: tensor<2x3xf32>, %i: tensor<5xi32>) -> (tensor<2x3xf32>, tensor<5xi32>) {
  %0 = graph.relu %x : tensor<2x3xf32>
  %1 = graph.sigmoid %0 : tensor<2x3xf32>
  %2 = graph.tanh %1 : tensor<2x3xf32>
  %3 = graph.relu %i : tensor<5xi32>
  return %2, %3 : tensor<2x3xf32>, tensor<5xi32>
}

// -----

// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[X:.*]]: tensor<1x784xf32>, %[[W:.*]]: tensor<784x10xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x10xf32>
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[F:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<1x10xf32>)
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[X]], %[[W]] : tensor<1x784xf32>, tensor<784x10xf32>) outs(%[[F]] : tensor<1x10xf32>)
// CHECK: return %[[M]]
func.func @matmul_2d(%x: tensor<1x784xf32>, %w: tensor<784x10xf32>) -> tensor<1x10xf32> {
  %0 = graph.matmul %x, %w : (tensor<1x784xf32>, tensor<784x10xf32>) -> tensor<1x10xf32>
  return %0 : tensor<1x10xf32>
}

// -----

// A 2-D rhs folds the lhs batch into rows of one linalg.matmul.
// CHECK-LABEL: func.func @matmul_rows
// CHECK-SAME: (%[[X:.*]]: tensor<?x5x16xf32>, %[[W:.*]]: tensor<16x2xf32>)
// CHECK: %[[B:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x5x16xf32>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<?x5x16xf32> into tensor<?x16xf32>
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[C]], %[[W]] : tensor<?x16xf32>, tensor<16x2xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[}}[0, 1], [2]] output_shape [%[[B]], 5, 2] : tensor<?x2xf32> into tensor<?x5x2xf32>
func.func @matmul_rows(%x: tensor<?x5x16xf32>, %w: tensor<16x2xf32>) -> tensor<?x5x2xf32> {
  %0 = graph.matmul %x, %w : (tensor<?x5x16xf32>, tensor<16x2xf32>) -> tensor<?x5x2xf32>
  return %0 : tensor<?x5x2xf32>
}

// -----

// Broadcast batch dims are materialized, then collapsed into one.
// CHECK-LABEL: func.func @matmul_batch_broadcast
// CHECK: %[[L:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4x8x16xf32>) outs(%{{.*}} : tensor<4x3x8x16xf32>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<3x16x2xf32>) outs(%{{.*}} : tensor<4x3x16x2xf32>)
// CHECK: %[[LC:.*]] = tensor.collapse_shape %[[L]] {{\[}}[0, 1], [2], [3]] : tensor<4x3x8x16xf32> into tensor<12x8x16xf32>
// CHECK: %[[RC:.*]] = tensor.collapse_shape %[[R]] {{\[}}[0, 1], [2], [3]] : tensor<4x3x16x2xf32> into tensor<12x16x2xf32>
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: %[[BM:.*]] = linalg.batch_matmul ins(%[[LC]], %[[RC]] : tensor<12x8x16xf32>, tensor<12x16x2xf32>) outs(%[[F]] : tensor<12x8x2xf32>)
// CHECK: tensor.expand_shape %[[BM]] {{\[}}[0, 1], [2], [3]] output_shape [4, 3, 8, 2] : tensor<12x8x2xf32> into tensor<4x3x8x2xf32>
func.func @matmul_batch_broadcast(%l: tensor<4x1x8x16xf32>, %r: tensor<3x16x2xf32>) -> tensor<4x3x8x2xf32> {
  %0 = graph.matmul %l, %r : (tensor<4x1x8x16xf32>, tensor<3x16x2xf32>) -> tensor<4x3x8x2xf32>
  return %0 : tensor<4x3x8x2xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_batch_same
// CHECK-NOT: linalg.generic
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<?x8x16xf32>, tensor<?x16x2xf32>) outs(%{{.*}} : tensor<?x8x2xf32>)
func.func @matmul_batch_same(%l: tensor<?x8x16xf32>, %r: tensor<?x16x2xf32>) -> tensor<?x8x2xf32> {
  %0 = graph.matmul %l, %r : (tensor<?x8x16xf32>, tensor<?x16x2xf32>) -> tensor<?x8x2xf32>
  return %0 : tensor<?x8x2xf32>
}

// -----

// 1-D operands are expanded to a row (lhs) or a column (rhs), and the unit
// dim is collapsed from the result.
// CHECK-LABEL: func.func @matmul_vectors
// CHECK: %[[ROW:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [16, 1] : tensor<16xf32> into tensor<16x1xf32>
// CHECK: %[[MV:.*]] = linalg.matmul ins(%{{.*}}, %[[ROW]] : tensor<4x16xf32>, tensor<16x1xf32>)
// CHECK: tensor.collapse_shape %[[MV]] {{\[}}[0, 1]] : tensor<4x1xf32> into tensor<4xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [1, 16] : tensor<16xf32> into tensor<1x16xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [16, 1] : tensor<16xf32> into tensor<16x1xf32>
// CHECK: %[[DOT:.*]] = linalg.matmul
// CHECK: tensor.collapse_shape %[[DOT]] [] : tensor<1x1xf32> into tensor<f32>
func.func @matmul_vectors(%v: tensor<16xf32>, %m: tensor<4x16xf32>) -> (tensor<4xf32>, tensor<f32>) {
  %0 = graph.matmul %m, %v : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4xf32>
  %1 = graph.matmul %v, %v : (tensor<16xf32>, tensor<16xf32>) -> tensor<f32>
  return %0, %1 : tensor<4xf32>, tensor<f32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: (%[[A:.*]]: tensor<784x1xf32>, %[[W:.*]]: tensor<10x784xf32>, %[[B:.*]]: tensor<10xf32>)
// CHECK: %[[AT:.*]] = linalg.transpose ins(%[[A]] : tensor<784x1xf32>) outs(%{{.*}} : tensor<1x784xf32>) permutation = [1, 0]
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]] : tensor<10x784xf32>) outs(%{{.*}} : tensor<784x10xf32>) permutation = [1, 0]
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[AT]], %[[WT]] : tensor<1x784xf32>, tensor<784x10xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[M]], %[[B]] : tensor<1x10xf32>, tensor<10xf32>)
// CHECK: ^bb0(%[[P:.*]]: f32, %[[C:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[PA:.*]] = arith.mulf %[[P]], %[[ALPHA]]
// CHECK: %[[BETA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[CB:.*]] = arith.mulf %[[C]], %[[BETA]]
// CHECK: arith.addf %[[PA]], %[[CB]]
func.func @gemm(%a: tensor<784x1xf32>, %w: tensor<10x784xf32>, %b: tensor<10xf32>) -> tensor<1x10xf32> {
  %0 = graph.gemm %a, %w, %b {alpha = 0.5 : f32, beta = 2.0 : f32, trans_a = true, trans_b = true}
      : (tensor<784x1xf32>, tensor<10x784xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  return %0 : tensor<1x10xf32>
}

// -----

// Without C and with alpha = 1, gemm is a plain matmul.
// CHECK-LABEL: func.func @gemm_plain
// CHECK: %[[M:.*]] = linalg.matmul
// CHECK-NOT: linalg.generic
// CHECK: return %[[M]]
func.func @gemm_plain(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.gemm %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x5xf32>)
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<?x5xf32>
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[F1:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%[[E]] : tensor<?x5xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[X]] : tensor<?x4x5xf32>) outs(%[[F1]] : tensor<?x5xf32>)
// CHECK: arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]], %[[MAX]] : tensor<?x4x5xf32>, tensor<?x5xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[F2:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<?x5xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[EXP]] : tensor<?x4x5xf32>) outs(%[[F2]] : tensor<?x5xf32>)
// CHECK: arith.addf
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[EXP]], %[[SUM]] : tensor<?x4x5xf32>, tensor<?x5xf32>)
// CHECK: arith.divf
// CHECK: return %[[R]]
func.func @softmax(%x: tensor<?x4x5xf32>) -> tensor<?x4x5xf32> {
  %0 = graph.softmax %x {axis = 1} : tensor<?x4x5xf32>
  return %0 : tensor<?x4x5xf32>
}

// -----

// CHECK-LABEL: func.func @reshapes
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[D:.*]]: tensor<?x784xf32>, %[[E:.*]]: tensor<?x6xf32>, %[[S:.*]]: tensor<f32>)
// 2x3 -> 3x2 does not group: through 1-D.
// CHECK: %[[V:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK: %[[R0:.*]] = tensor.expand_shape %[[V]] {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[D]], %{{.*}} : tensor<?x784xf32>
// CHECK: %[[R1:.*]] = tensor.expand_shape %[[D]] {{\[}}[0], [1, 2]] output_shape [%[[N]], 28, 28] : tensor<?x784xf32> into tensor<?x28x28xf32>
// CHECK: %[[EV:.*]] = tensor.collapse_shape %[[E]] {{\[}}[0, 1]] : tensor<?x6xf32> into tensor<?xf32>
// CHECK: %[[COUNT:.*]] = tensor.dim %[[EV]], %{{.*}} : tensor<?xf32>
// CHECK: %[[THREE:.*]] = arith.constant 3 : index
// CHECK: %[[Q:.*]] = arith.divui %[[COUNT]], %[[THREE]] : index
// CHECK: %[[R2:.*]] = tensor.expand_shape %[[EV]] {{\[}}[0, 1]] output_shape [3, %[[Q]]] : tensor<?xf32> into tensor<3x?xf32>
// CHECK: %[[R3:.*]] = tensor.expand_shape %[[S]] [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
// CHECK: %[[R4:.*]] = tensor.collapse_shape %[[D]] {{\[}}[0, 1]] : tensor<?x784xf32> into tensor<?xf32>
// CHECK: return %[[R0]], %[[R1]], %[[R2]], %[[R3]], %[[R4]]
func.func @reshapes(%a: tensor<2x3xf32>, %d: tensor<?x784xf32>, %e: tensor<?x6xf32>, %s: tensor<f32>)
    -> (tensor<3x2xf32>, tensor<?x28x28xf32>, tensor<3x?xf32>, tensor<1x1xf32>, tensor<?xf32>) {
  %0 = graph.reshape %a [3, 2] : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = graph.reshape %d [-1, 28, 28] : tensor<?x784xf32> -> tensor<?x28x28xf32>
  %2 = graph.reshape %e [3, -1] : tensor<?x6xf32> -> tensor<3x?xf32>
  %3 = graph.reshape %s [1, 1] : tensor<f32> -> tensor<1x1xf32>
  %4 = graph.reshape %d [-1] : tensor<?x784xf32> -> tensor<?xf32>
  return %0, %1, %2, %3, %4 : tensor<3x2xf32>, tensor<?x28x28xf32>, tensor<3x?xf32>, tensor<1x1xf32>, tensor<?xf32>
}

// -----

// CHECK-LABEL: func.func @flatten
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4x5xf32>, %[[Y:.*]]: tensor<2x3xf32>)
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2, 3]] : tensor<?x3x4x5xf32> into tensor<?x20xf32>
// CHECK: %[[V:.*]] = tensor.collapse_shape %[[Y]] {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK: %[[F0:.*]] = tensor.expand_shape %[[V]] {{\[}}[0, 1]] output_shape [1, 6] : tensor<6xf32> into tensor<1x6xf32>
// CHECK: return %[[F]], %[[F0]]
func.func @flatten(%x: tensor<?x3x4x5xf32>, %y: tensor<2x3xf32>) -> (tensor<?x20xf32>, tensor<1x6xf32>) {
  %0 = graph.flatten %x {axis = 2} : tensor<?x3x4x5xf32> -> tensor<?x20xf32>
  %1 = graph.flatten %y {axis = 0} : tensor<2x3xf32> -> tensor<1x6xf32>
  return %0, %1 : tensor<?x20xf32>, tensor<1x6xf32>
}

// -----

// CHECK-LABEL: func.func @data_movement
// CHECK-SAME: (%[[X:.*]]: tensor<?x3xf32>)
// CHECK: %[[C:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<3x?xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<?x3xf32>) outs(%[[E]] : tensor<3x?xf32>) permutation = [1, 0]
// CHECK-NOT: graph.
// CHECK: return %[[C]], %[[T]], %[[X]]
func.func @data_movement(%x: tensor<?x3xf32>) -> (tensor<3xf32>, tensor<3x?xf32>, tensor<?x3xf32>) {
  %c = graph.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %t = graph.transpose %x [1, 0] : tensor<?x3xf32> -> tensor<3x?xf32>
  %i = graph.identity %x : tensor<?x3xf32>
  return %c, %t, %i : tensor<3xf32>, tensor<3x?xf32>, tensor<?x3xf32>
}

// -----

// Padding is a bounds-checked generic, the conv accumulates into zeros and
// the bias (F -> F x 1 x 1) is added along the channel dim.
// CHECK-LABEL: func.func @conv
// CHECK: %[[PAD:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x10x10xf32>)
// CHECK: arith.cmpi ult
// CHECK: tensor.extract %{{.*}} : tensor<1x4x8x8xf32>
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<1x8x4x4xf32>
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %{{.*}} : tensor<1x4x10x10xf32>, tensor<8x4x3x3xf32>) outs(%[[ZERO]] : tensor<1x8x4x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[CONV]], %{{.*}} : tensor<1x8x4x4xf32>, tensor<8xf32>)
// CHECK: arith.addf
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = graph.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// One filter per channel: the named depthwise op on the collapsed weight.
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%{{.*}}, %[[W]] : tensor<1x4x8x8xf32>, tensor<4x3x3xf32>)
func.func @depthwise(%x: tensor<1x4x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// Other groups: a generic over (n, g, f, oh, ow, c, kh, kw) on 5-D views,
// with the accumulator filled in its 5-D shape.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6 * 2, d4 + d7 * 2)>
// CHECK-DAG: #[[WT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-LABEL: func.func @grouped
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 8, 8]
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<1x2x3x4x4xf32>
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[WT]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: outs(%[[ZERO]]
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x4x4xf32> into tensor<1x6x4x4xf32>
func.func @grouped(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32> {
  %0 = graph.conv %x, %w {dilations = array<i64: 2, 2>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

// 1-D: the grouped generic (one group) over (n, g, f, o, c, k), the
// begin-only pad and the F -> F x 1 bias.
// CHECK-DAG: #[[IN1:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 * 2 + d5)>
// CHECK-DAG: #[[WT1:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4, d5)>
// CHECK-LABEL: func.func @conv_1d
// CHECK: %[[PAD:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x9xf32>)
// CHECK: tensor.expand_shape %[[PAD]] {{\[}}[0], [1, 2], [3]] output_shape [1, 1, 2, 9]
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3]] output_shape [1, 4, 2, 3]
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[IN1]], #[[WT1]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3]] : tensor<1x1x4x4xf32> into tensor<1x4x4xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [4, 1]
// CHECK: linalg.generic {{.*}} ins(%[[C]], %{{.*}} : tensor<1x4x4xf32>, tensor<4xf32>)
// CHECK: arith.addf
func.func @conv_1d(%x: tensor<1x2x8xf32>, %w: tensor<4x2x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4xf32> {
  %0 = graph.conv %x, %w, %b {dilations = array<i64: 1>, group = 1 : i64, pads = array<i64: 1, 0>, strides = array<i64: 2>} : (tensor<1x2x8xf32>, tensor<4x2x3xf32>, tensor<4xf32>) -> tensor<1x4x4xf32>
  return %0 : tensor<1x4x4xf32>
}

// -----

// 3-D with groups and a dilation: the generic over 10 dims.
// CHECK-DAG: #[[IN3:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d6, d3 + d7, d4 + d8 * 2, d5 + d9)>
// CHECK-DAG: #[[WT3:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d1, d2, d6, d7, d8, d9)>
// CHECK-LABEL: func.func @conv_3d
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<1x2x1x3x2x5xf32>
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[IN3]], #[[WT3]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
// CHECK-SAME: outs(%[[ZERO]]
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3], [4], [5]] : tensor<1x2x1x3x2x5xf32> into tensor<1x2x3x2x5xf32>
func.func @conv_3d(%x: tensor<1x4x5x6x7xf32>, %w: tensor<2x2x3x3x3xf32>) -> tensor<1x2x3x2x5xf32> {
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 2, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0, 0, 0>, strides = array<i64: 1, 1, 1>} : (tensor<1x4x5x6x7xf32>, tensor<2x2x3x3x3xf32>) -> tensor<1x2x3x2x5xf32>
  return %0 : tensor<1x2x3x2x5xf32>
}

// -----

// Integer convolutions (ConvInteger, QLinearConv): padding with an i32 zero,
// the named op accumulating into i32 zeros, an integer bias add; grouped
// convolutions multiply and add with muli/addi.
// CHECK-LABEL: func.func @conv_i32
// CHECK: %[[PAD:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x10x10xi32>)
// CHECK: arith.constant 0 : i32
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<1x8x4x4xi32>
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%[[PAD]], %{{.*}} : tensor<1x4x10x10xi32>, tensor<8x4x3x3xi32>) outs(%[[ZERO]] : tensor<1x8x4x4xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[CONV]], %{{.*}} : tensor<1x8x4x4xi32>, tensor<8xi32>)
// CHECK: arith.addi
// CHECK-LABEL: func.func @grouped_i32
// CHECK: linalg.generic {{.*}}"reduction", "reduction", "reduction"]
// CHECK: arith.muli
// CHECK-NEXT: arith.addi
// CHECK-NOT: arith.mulf
func.func @conv_i32(%x: tensor<1x4x8x8xi32>, %w: tensor<8x4x3x3xi32>, %b: tensor<8xi32>) -> tensor<1x8x4x4xi32> {
  %0 = graph.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xi32>, tensor<8x4x3x3xi32>, tensor<8xi32>) -> tensor<1x8x4x4xi32>
  return %0 : tensor<1x8x4x4xi32>
}
func.func @grouped_i32(%x: tensor<1x4x8x8xi32>, %w: tensor<6x2x3x3xi32>) -> tensor<1x6x6x6xi32> {
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xi32>, tensor<6x2x3x3xi32>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

// Transposed conv: the input is spread by the strides into
// (3 - 1) * 2 + 1 + (2 - 1) + (2 - 1 + 1) = 8 elements per dim (a
// stride-checked gather), the weight is transposed per group and flipped
// (w'[g * 3 + f][c][k] = w[g * 2 + c][f][2 - k]), and a stride-1 grouped
// conv and the bias add follow.
// CHECK-LABEL: func.func @conv_transpose
// CHECK: %[[SPREAD:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x8x8xf32>)
// CHECK: arith.divsi
// CHECK: arith.remsi
// CHECK: arith.cmpi sge
// CHECK: tensor.extract %{{.*}} : tensor<1x4x3x3xf32>
// CHECK: %[[FLIP:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<6x2x3x3xf32>)
// CHECK: %[[GROUP:.*]] = arith.divui %{{.*}}, %[[C3:.*]] : index
// CHECK: %[[F:.*]] = arith.remui %{{.*}}, %[[C3]] : index
// CHECK: %[[CB:.*]] = arith.muli %[[GROUP]], %{{.*}} : index
// CHECK: %[[C:.*]] = arith.addi %[[CB]], %{{.*}} : index
// CHECK: %[[KH:.*]] = arith.subi %{{.*}}, %{{.*}} : index
// CHECK: %[[KW:.*]] = arith.subi %{{.*}}, %{{.*}} : index
// CHECK: tensor.extract %{{.*}}[%[[C]], %[[F]], %[[KH]], %[[KW]]] : tensor<4x3x3x3xf32>
// CHECK: tensor.expand_shape %[[SPREAD]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 8, 8]
// CHECK: tensor.expand_shape %[[FLIP]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]{{.*}} outs(%{{.*}} : tensor<1x2x3x6x6xf32>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x6x6x6xf32>
// CHECK: arith.addf
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x6x6xf32> {
  %0 = graph.conv_transpose %x, %w, %b {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

// Max pooling pads with -inf and starts from -inf.
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[PAD:.*]] = linalg.generic
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x4x4x4xf32>)
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[WIN]] : tensor<1x4x10x10xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x4x4x4xf32>)
func.func @max_pool(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %0 = graph.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Sum over the axes, divide by the count, expand the kept dims back.
// CHECK-LABEL: func.func @reduce_mean
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]} ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2xf32>)
// CHECK: arith.addf
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xf32>)
// CHECK: arith.constant 1.200000e+01 : f32
// CHECK: arith.divf
// CHECK: tensor.expand_shape %[[MEAN]] {{\[}}[0, 1, 2]] output_shape [2, 1, 1]
func.func @reduce_mean(%x: tensor<2x3x4xf32>) -> tensor<2x1x1xf32> {
  %0 = graph.reduce_mean %x {axes = array<i64: 1, 2>, keepdims = true} : tensor<2x3x4xf32> -> tensor<2x1x1xf32>
  return %0 : tensor<2x1x1xf32>
}

// -----

// Clip is min then max; a constant exponent of 2 is a multiplication.
// CHECK-LABEL: func.func @clip_pow_sqrt_erf
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.mulf %[[IN]], %[[IN]] : f32
// CHECK: math.sqrt
// CHECK: math.erf
// CHECK: math.powf
func.func @clip_pow_sqrt_erf(%x: tensor<4xf32>, %e: tensor<4xf32>) -> tensor<4xf32> {
  %two = graph.constant dense<2.0> : tensor<f32>
  %0 = graph.clip %x {max = 6.0 : f64, min = 0.0 : f64} : tensor<4xf32>
  %1 = graph.pow %0, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = graph.sqrt %1 : tensor<4xf32>
  %3 = graph.erf %2 : tensor<4xf32>
  %4 = graph.pow %3, %e : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// Slice is a strided extract_slice; gather reads the data at the wrapped,
// clamped index.
// CHECK-LABEL: func.func @slice_gather
// CHECK: tensor.extract_slice %{{.*}}[0, 1] [4, 2] [1, 2] : tensor<4x6xf32> to tensor<4x2xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<2xi64>) outs(%{{.*}} : tensor<2x6xf32>)
// CHECK: arith.index_cast
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[COL:.*]] = linalg.index 1 : index
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %[[COL]]] : tensor<4x6xf32>
func.func @slice_gather(%x: tensor<4x6xf32>, %ids: tensor<2xi64>) -> (tensor<4x2xf32>, tensor<2x6xf32>) {
  %0 = graph.slice %x {starts = array<i64: 0, 1>, steps = array<i64: 1, 2>} : tensor<4x6xf32> -> tensor<4x2xf32>
  %1 = graph.gather %x, %ids {axis = 0 : i64} : (tensor<4x6xf32>, tensor<2xi64>) -> tensor<2x6xf32>
  return %0, %1 : tensor<4x2xf32>, tensor<2x6xf32>
}

// -----

// batch_norm with run-time statistics: one generic; the 1-D statistics are
// expanded to Cx1x1 and read along the channel dim.
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: %[[S:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1, 2]] output_shape [8, 1, 1] : tensor<8xf32> into tensor<8x1x1xf32>
// CHECK: linalg.generic {{.*}}indexing_maps = [#{{.*}}, #[[CH]], #[[CH]], #[[CH]], #[[CH]], #{{.*}}]
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[SC:.*]]: f32, %[[B:.*]]: f32, %[[M:.*]]: f32, %[[V:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK-NEXT: %[[C:.*]] = arith.subf %[[X]], %[[M]] : f32
// CHECK-NEXT: %[[VE:.*]] = arith.addf %[[V]], %[[EPS]] : f32
// CHECK-NEXT: %[[D:.*]] = math.sqrt %[[VE]] : f32
// CHECK-NEXT: %[[N:.*]] = arith.divf %[[C]], %[[D]] : f32
// CHECK-NEXT: %[[SN:.*]] = arith.mulf %[[N]], %[[SC]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.addf %[[SN]], %[[B]] : f32
// CHECK-NEXT: linalg.yield %[[Y]] : f32
func.func @batch_norm(%x: tensor<1x8x4x4xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<8xf32>, %v: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = graph.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f32} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// Unary math with a scalar body per op; composite ops expand into arith/math.
// CHECK-LABEL: func.func @unary_math
// CHECK: linalg.generic
// CHECK: math.absf
// CHECK: linalg.generic
// CHECK: %[[EP:.*]] = math.exp
// CHECK: %[[EN:.*]] = math.exp
// CHECK: %[[D:.*]] = arith.subf %[[EP]], %[[EN]]
// CHECK: arith.mulf %[[D]]
// CHECK: linalg.generic
// CHECK: math.atan
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[BIAS:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[NEG:.*]] = arith.constant -1.500000e+00 : f32
// CHECK: %[[BELOW:.*]] = arith.cmpf olt, %[[X]], %[[NEG]]
// CHECK: %[[POS:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: %[[ABOVE:.*]] = arith.cmpf ogt, %[[X]], %[[POS]]
// CHECK: %[[SUB:.*]] = arith.subf %[[X]], %[[BIAS]]
// CHECK: %[[INNER:.*]] = arith.select %[[ABOVE]], %[[SUB]]
// CHECK: %[[ADD:.*]] = arith.addf %[[X]], %[[BIAS]]
// CHECK: arith.select %[[BELOW]], %[[ADD]], %[[INNER]]
func.func @unary_math(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.abs %x : tensor<4xf32>
  %1 = graph.sinh %0 : tensor<4xf32>
  %2 = graph.atan %1 : tensor<4xf32>
  %3 = graph.elu %2 {alpha = 1.0 : f64} : tensor<4xf32>
  %4 = graph.shrink %3 {bias = 0.5 : f64, lambd = 1.5 : f64} : tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// Integer ops pick signed or unsigned arith ops.
// CHECK-LABEL: func.func @integer_signedness
// CHECK: arith.divui
// CHECK: arith.maxui
// CHECK: arith.maxsi
// CHECK: arith.cmpi ult
// CHECK: arith.remsi
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: arith.shrui
func.func @integer_signedness(%a: tensor<4xi8>, %b: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xi8>) {
  %0 = graph.div %a, %b {is_unsigned} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %1 = graph.max %a, %b {is_unsigned} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %2 = graph.max %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %3 = graph.less %a, %b {is_unsigned} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi1>
  %4 = graph.mod %a, %b {fmod = false} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %5 = graph.bit_shift %a, %b {left = false} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xi8>
}

// -----

// Comparisons yield i1; where broadcasts its three operands; casts pick the
// conversion from the element types and signedness.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @compare_where_cast
// CHECK: %[[LT:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]]
// CHECK: arith.cmpf olt
// CHECK: linalg.yield %{{.*}} : i1
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ROW]], #[[ID]]]
// CHECK-SAME: ins(%[[LT]], %{{.*}}, %{{.*}} : tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>)
// CHECK: arith.select
// CHECK: arith.fptoui %{{.*}} : f32 to i8
// CHECK: arith.uitofp %{{.*}} : i8 to f64
// CHECK: arith.cmpf une
func.func @compare_where_cast(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %u: tensor<2x3xi8>) -> (tensor<2x3xf32>, tensor<2x3xi8>, tensor<2x3xf64>, tensor<2x3xi1>) {
  %0 = graph.less %x, %s : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %1 = graph.where %0, %x, %s : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = graph.cast %x {output_unsigned} : tensor<2x3xf32> -> tensor<2x3xi8>
  %3 = graph.cast %u {input_unsigned} : tensor<2x3xi8> -> tensor<2x3xf64>
  %4 = graph.cast %x : tensor<2x3xf32> -> tensor<2x3xi1>
  return %1, %2, %3, %4 : tensor<2x3xf32>, tensor<2x3xi8>, tensor<2x3xf64>, tensor<2x3xi1>
}

// -----

// reduce max: one reduction generic from -inf.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduce_max
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%{{.*}} : tensor<2x3xf32>) outs(%[[INIT]] : tensor<2xf32>)
// CHECK: arith.maximumf
func.func @reduce_max(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = graph.reduce %x {kind = "max", axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// log_sum_exp: max, sum of exp(x - max), then max + log(sum); keepdims
// expands the result.
// CHECK-LABEL: func.func @reduce_log_sum_exp
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]{{.*}} ins(%{{.*}}, %[[MAX]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: %[[LSE:.*]] = linalg.generic {{.*}} ins(%[[SUM]], %[[MAX]] : tensor<3xf32>, tensor<3xf32>)
// CHECK: math.log
// CHECK: tensor.expand_shape %[[LSE]] {{\[}}[0, 1]] output_shape [1, 3] : tensor<3xf32> into tensor<1x3xf32>
func.func @reduce_log_sum_exp(%x: tensor<2x3xf32>) -> tensor<1x3xf32> {
  %0 = graph.reduce %x {kind = "log_sum_exp", axes = array<i64: 0>, keepdims = true} : tensor<2x3xf32> -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

// arg_reduce: the max, then the largest index holding it (select_last_index).
// CHECK-LABEL: func.func @arg_max
// CHECK: %[[MAX:.*]] = linalg.generic
// CHECK: arith.maximumf
// CHECK: %[[MINUS1:.*]] = arith.constant -1 : i64
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[MINUS1]] : i64) outs(%{{.*}} : tensor<2xi64>)
// CHECK: %[[IDX:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[MAX]] : tensor<2x3xf32>, tensor<2xf32>) outs(%[[INIT]] : tensor<2xi64>)
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[EQ:.*]] = arith.cmpf oeq
// CHECK: %[[LAST:.*]] = arith.maxsi %{{.*}}, %[[I64]] : i64
// CHECK: arith.select %[[EQ]], %[[LAST]]
// CHECK: tensor.expand_shape %[[IDX]] {{\[}}[0, 1]] output_shape [2, 1]
func.func @arg_max(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  %0 = graph.arg_reduce %x {kind = "max", axis = 1 : i64, keepdims = true, select_last_index = true} : tensor<2x3xf32> -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// log_softmax: x - max - log(sum(exp(x - max))).
// CHECK-LABEL: func.func @log_softmax
// CHECK: %[[MAX:.*]] = linalg.generic
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[MAX]] : tensor<2x3xf32>, tensor<2xf32>)
// CHECK: math.exp
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]{{.*}} ins(%{{.*}}, %[[MAX]], %[[SUM]] : tensor<2x3xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: %[[SHIFTED:.*]] = arith.subf
// CHECK: %[[LOG:.*]] = math.log
// CHECK: arith.subf %[[SHIFTED]], %[[LOG]]
func.func @log_softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.log_softmax %x {axis = 1 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// cumsum: a reduction over the source index, taking those before the target
// (exclusive).
// CHECK-DAG: #[[SRC:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[DST:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @cumsum
// CHECK: linalg.generic {indexing_maps = [#[[SRC]], #[[DST]]], iterator_types = ["parallel", "reduction"]}
// CHECK: %[[T:.*]] = linalg.index 0 : index
// CHECK: %[[S:.*]] = linalg.index 1 : index
// CHECK: %[[TAKE:.*]] = arith.cmpi ult, %[[S]], %[[T]] : index
// CHECK: %[[ADD:.*]] = arith.addf
// CHECK: arith.select %[[TAKE]], %[[ADD]]
func.func @cumsum(%x: tensor<5xf64>) -> tensor<5xf64> {
  %0 = graph.cumsum %x {axis = 0 : i64, exclusive = true, reverse = false} : tensor<5xf64>
  return %0 : tensor<5xf64>
}

// -----

// concat: each element is read from the last input starting at or before it.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<2x2xf32>, %[[B:.*]]: tensor<2x1xf32>)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]{{.*}} outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[EA:.*]] = tensor.extract %[[A]][%[[I]], %{{.*}}] : tensor<2x2xf32>
// CHECK: %[[TWO:.*]] = arith.constant 2 : index
// CHECK: %[[EB:.*]] = tensor.extract %[[B]][%[[I]], %{{.*}}] : tensor<2x1xf32>
// CHECK: %[[IN_B:.*]] = arith.cmpi sge, %[[J]], %{{.*}} : index
// CHECK: arith.select %[[IN_B]], %[[EB]], %[[EA]] : f32
func.func @concat(%a: tensor<2x2xf32>, %b: tensor<2x1xf32>) -> tensor<2x3xf32> {
  %0 = graph.concat %a, %b {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// edge pad: the source coordinate is clamped into the input.
// CHECK-LABEL: func.func @pad_edge
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x6xf32>)
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[S:.*]] = arith.subi %[[J]], %{{.*}} : index
// CHECK: %[[LO:.*]] = arith.maxsi %[[S]]
// CHECK: %[[HI:.*]] = arith.minsi %[[LO]]
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %[[HI]]] : tensor<2x3xf32>
func.func @pad_edge(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %0 = graph.pad %x {mode = "edge", pads = array<i64: 0, 1, 0, 2>, value = 0.0 : f64} : tensor<2x3xf32> -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// tile: result index modulo the input size.
// CHECK-LABEL: func.func @tile
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[RI:.*]] = arith.remui %[[I]], %[[C2]] : index
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK: %[[RJ:.*]] = arith.remui %[[J]], %[[C3]] : index
// CHECK: tensor.extract %{{.*}}[%[[RI]], %[[RJ]]] : tensor<2x3xf32>
func.func @tile(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %0 = graph.tile %x : tensor<2x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// trilu: keeps j - i >= k, k read at run time.
// CHECK-LABEL: func.func @trilu
// CHECK-SAME: (%[[X:.*]]: tensor<3x3xf32>, %[[K:.*]]: tensor<i64>)
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<3x3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[KV:.*]] = tensor.extract %[[K]][] : tensor<i64>
// CHECK: %[[HI:.*]] = arith.minsi %[[KV]], %c3_i64
// CHECK: %[[LO:.*]] = arith.maxsi %[[HI]], %c-3_i64
// CHECK: %[[KI:.*]] = arith.index_cast %[[LO]] : i64 to index
// CHECK: %[[D:.*]] = arith.subi %{{.*}}, %{{.*}} : index
// CHECK: %[[KEEP:.*]] = arith.cmpi sge, %[[D]], %[[KI]] : index
// CHECK: arith.select %[[KEEP]], %[[IN]]
func.func @trilu(%x: tensor<3x3xf32>, %k: tensor<i64>) -> tensor<3x3xf32> {
  %0 = graph.trilu %x, %k {upper = true} : (tensor<3x3xf32>, tensor<i64>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// avg pool without count_include_pad: a window reduction that skips padded
// positions, divided by the per-position count of real elements (2 and 3).
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @avg_pool
// CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<3xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[WIN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[WINDOW]] : tensor<3xf32>)
// CHECK: %[[VALID:.*]] = arith.cmpi ult
// CHECK: tensor.extract
// CHECK: %[[ADD:.*]] = arith.addf
// CHECK: arith.select %[[VALID]], %[[ADD]]
// CHECK: %[[COUNTS:.*]] = arith.constant dense<[{{\[}}[2.000000e+00, 3.000000e+00]]]> : tensor<1x1x2xf32>
// CHECK: linalg.generic {{.*}} ins(%[[SUM]], %[[COUNTS]] : tensor<1x1x2xf32>, tensor<1x1x2xf32>)
// CHECK: arith.divf
func.func @avg_pool(%x: tensor<1x1x4xf32>) -> tensor<1x1x2xf32> {
  %0 = graph.pool %x {kind = "avg", count_include_pad = false, p = 2 : i64, dilations = array<i64: 1>, kernel_shape = array<i64: 3>, pads = array<i64: 1, 1>, strides = array<i64: 2>} : tensor<1x1x4xf32> -> tensor<1x1x2xf32>
  return %0 : tensor<1x1x2xf32>
}

// -----

// resize nearest/asymmetric/floor: resized dims read their scale at run time.
// CHECK-LABEL: func.func @resize
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x2x2xf32>, %[[S:.*]]: tensor<4xf32>)
// CHECK: %[[H:.*]] = linalg.index 2 : index
// CHECK: %[[SH:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<4xf32>
// CHECK: %[[HF:.*]] = arith.uitofp
// CHECK: %[[SRC:.*]] = arith.divf %[[HF]], %[[SH]] : f32
// CHECK: math.floor %[[SRC]] : f32
// CHECK: tensor.extract %[[X]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : tensor<1x1x2x2xf32>
func.func @resize(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>) -> tensor<1x1x4x4xf32> {
  %0 = graph.resize %x, %s {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor"} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// dynamic_slice: the start and step of each dim are picked from the entries
// whose (normalized) axis is that dim, at run time.
// CHECK-LABEL: func.func @dynamic_slice
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[S:.*]]: tensor<1xi64>, %[[A:.*]]: tensor<1xi64>, %[[T:.*]]: tensor<1xi64>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: %[[AXIS:.*]] = tensor.extract %[[A]][%{{.*}}] : tensor<1xi64>
// CHECK: %[[START:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<1xi64>
// CHECK: %[[STEP:.*]] = tensor.extract %[[T]][%{{.*}}] : tensor<1xi64>
// CHECK: %[[IS0:.*]] = arith.cmpi eq, %{{.*}}, %{{.*}} : i64
// CHECK: arith.select %[[IS0]], %[[START]]
// CHECK: arith.select %[[IS0]], %[[STEP]]
// CHECK: arith.muli
// CHECK: tensor.extract %[[X]][%{{.*}}, %{{.*}}] : tensor<4x3xf32>
func.func @dynamic_slice(%x: tensor<4x3xf32>, %s: tensor<1xi64>, %a: tensor<1xi64>, %t: tensor<1xi64>) -> tensor<2x3xf32> {
  %0 = graph.dynamic_slice %x, %s, %a, %t : (tensor<4x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// resize cubic with exclude_outside: 4 taps around ceil(x) - 1, weights of
// taps outside the input zeroed and the rest renormalized by their sum.
// CHECK-LABEL: func.func @resize_cubic
// CHECK-SAME: (%[[X:.*]]: tensor<1x4xf32>, %[[S:.*]]: tensor<2xf32>)
// CHECK: %[[SCALE:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<2xf32>
// CHECK: %[[CEIL:.*]] = math.ceil
// CHECK: %[[BASE:.*]] = arith.fptosi %{{.*}} : f32 to i64
// CHECK: %[[T0:.*]] = arith.addi %[[BASE]], %{{.*}} : i64
// CHECK: %[[IN0:.*]] = arith.cmpi ult, %[[T0]], %{{.*}} : i64
// CHECK: %[[W0:.*]] = arith.select %[[IN0]]
// CHECK: %[[SUM:.*]] = arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: arith.divf %[[W0]], %{{.*}} : f32
// CHECK-COUNT-4: tensor.extract %[[X]]
func.func @resize_cubic(%x: tensor<1x4xf32>, %s: tensor<2xf32>) -> tensor<1x2xf32> {
  %0 = graph.resize %x, %s {coordinate_transformation_mode = "half_pixel", mode = "cubic", nearest_mode = "round_prefer_floor", cubic_coeff_a = -0.5 : f64, exclude_outside = true} : (tensor<1x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

// range: start + i * delta, read at run time.
// CHECK-LABEL: func.func @range
// CHECK-SAME: (%[[S:.*]]: tensor<f32>, %[[D:.*]]: tensor<f32>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[START:.*]] = tensor.extract %[[S]][] : tensor<f32>
// CHECK: %[[DELTA:.*]] = tensor.extract %[[D]][] : tensor<f32>
// CHECK: %[[IF:.*]] = arith.sitofp
// CHECK: %[[M:.*]] = arith.mulf %[[IF]], %[[DELTA]] : f32
// CHECK: arith.addf %[[START]], %[[M]] : f32
func.func @range(%s: tensor<f32>, %d: tensor<f32>) -> tensor<3xf32> {
  %0 = graph.range %s, %d : (tensor<f32>, tensor<f32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// one_hot: the index read at the coordinates without the axis, wrapped when
// negative, against the coordinate along the axis.
// CHECK-LABEL: func.func @one_hot
// CHECK-SAME: (%[[IDS:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<2xf32>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[ID:.*]] = tensor.extract %[[IDS]][%[[I]]] : tensor<3xf32>
// CHECK: arith.fptosi %[[ID]] : f32 to i64
// CHECK: %[[HIT:.*]] = arith.cmpi eq
// CHECK: %[[ON:.*]] = tensor.extract %[[V]]
// CHECK: %[[OFF:.*]] = tensor.extract %[[V]]
// CHECK: arith.select %[[HIT]], %[[ON]], %[[OFF]] : f32
func.func @one_hot(%ids: tensor<3xf32>, %v: tensor<2xf32>) -> tensor<3x5xf32> {
  %0 = graph.one_hot %ids, %v {axis = 1 : i64} : (tensor<3xf32>, tensor<2xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// A result without elements becomes an empty constant, whatever the op.
// CHECK-LABEL: func.func @empty_result
// CHECK-NOT: linalg.generic
// CHECK: %[[E:.*]] = arith.constant dense<> : tensor<3x0xf32>
// CHECK: return %[[E]]
func.func @empty_result(%x: tensor<3x0xf32>, %k: tensor<i64>) -> tensor<3x0xf32> {
  %0 = graph.trilu %x, %k {upper = true} : (tensor<3x0xf32>, tensor<i64>) -> tensor<3x0xf32>
  return %0 : tensor<3x0xf32>
}
