// RUN: ingot-opt --ingot-linalg-convert-to-channels-last -split-input-file %s | FileCheck %s

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// conv -> bias+relu -> conv: the constant filter is transposed to HWCF at
// compile time (value by value), the bias+relu runs in NHWC (its bias read
// along the last loop), and the only transposes left are the ones at the
// function's edges.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[LAST:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @conv_relu_conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x5xf32>, %[[B:.*]]: tensor<2xf32>)
// CHECK-DAG: arith.constant dense<{{\[\[\[\[}}1.000000e+00, 5.000000e+00], [3.000000e+00, 7.000000e+00]], {{\[\[}}2.000000e+00, 6.000000e+00], [4.000000e+00, 8.000000e+00]]]]> : tensor<1x2x2x2xf32>
// CHECK: %[[IN:.*]] = linalg.transpose ins(%[[X]] : tensor<1x2x4x5xf32>) outs(%{{.*}} : tensor<1x4x5x2xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[C1:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[IN]], %{{.*}} : tensor<1x4x5x2xf32>, tensor<1x2x2x2xf32>) outs(%{{.*}} : tensor<1x4x4x2xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[LAST]], #[[ID]]]
// CHECK-SAME: ins(%[[C1]], %[[B]] : tensor<1x4x4x2xf32>, tensor<2xf32>) outs(%{{.*}} : tensor<1x4x4x2xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[C2:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[R]], %{{.*}} : tensor<1x4x4x2xf32>, tensor<1x1x2x3xf32>)
// CHECK: %[[OUT:.*]] = linalg.transpose ins(%[[C2]] : tensor<1x4x4x3xf32>) outs(%{{.*}} : tensor<1x3x4x4xf32>) permutation = [0, 3, 1, 2]
// CHECK: return %[[OUT]]
func.func @conv_relu_conv(%x: tensor<1x2x4x5xf32>, %b: tensor<2xf32>) -> tensor<1x3x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[[[1.0, 2.0]], [[3.0, 4.0]]], [[[5.0, 6.0]], [[7.0, 8.0]]]]> : tensor<2x2x1x2xf32>
  %w2 = arith.constant dense<0.25> : tensor<3x2x1x1xf32>
  %e1 = tensor.empty() : tensor<1x2x4x4xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w1 : tensor<1x2x4x5xf32>, tensor<2x2x1x2xf32>) outs(%z1 : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c1, %b : tensor<1x2x4x4xf32>, tensor<2xf32>) outs(%e1 : tensor<1x2x4x4xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x2x4x4xf32>
  %e2 = tensor.empty() : tensor<1x3x4x4xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%r, %w2 : tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) outs(%z2 : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %c2 : tensor<1x3x4x4xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Padding (a generic extracting from its input) is built in NHWC directly,
// extracting from the NCHW argument with permuted indices: the layout change
// at the model's input costs no transpose. The max pool after the conv runs
// in NHWC, and a residual add of two NHWC tensors stays NHWC.
// CHECK-LABEL: func.func @pad_conv_pool_add
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>
// CHECK: %[[PAD:.*]] = linalg.generic {{.*}}outs(%{{.*}} : tensor<1x6x6x2xf32>)
// CHECK: %[[N:.*]] = linalg.index 0
// CHECK: %[[C:.*]] = linalg.index 3
// CHECK: tensor.extract %[[X]][%[[N]], %[[C]], %{{.*}}, %{{.*}}] : tensor<1x2x4x4xf32>
// CHECK-NOT: linalg.transpose
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}}ins(%[[PAD]],
// CHECK-NOT: linalg.transpose
// CHECK: %[[POOL:.*]] = linalg.pooling_nhwc_max {{.*}}ins(%[[CONV]], %{{.*}} : tensor<1x4x4x2xf32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<1x3x3x2xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[DW:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}}ins(%[[POOL]], %{{.*}} : tensor<1x3x3x2xf32>, tensor<1x1x2xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[ADD:.*]] = linalg.generic {{.*}}ins(%[[POOL]], %[[DW]] : tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>) outs(%{{.*}} : tensor<1x3x3x2xf32>)
// CHECK: linalg.transpose ins(%[[ADD]] : tensor<1x3x3x2xf32>) {{.*}} permutation = [0, 3, 1, 2]
func.func @pad_conv_pool_add(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<2x2x3x3xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c0 = arith.constant 0 : index
  %ep = tensor.empty() : tensor<1x2x6x6xf32>
  %pad = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      outs(%ep : tensor<1x2x6x6xf32>) {
  ^bb0(%out: f32):
    %n = linalg.index 0 : index
    %c = linalg.index 1 : index
    %h = linalg.index 2 : index
    %w_ = linalg.index 3 : index
    %hh = arith.subi %h, %c1 : index
    %ww = arith.subi %w_, %c1 : index
    %hin = arith.cmpi ult, %hh, %c4 : index
    %win = arith.cmpi ult, %ww, %c4 : index
    %hs = arith.select %hin, %hh, %c0 : index
    %ws = arith.select %win, %ww, %c0 : index
    %in = arith.andi %hin, %win : i1
    %v = tensor.extract %x[%n, %c, %hs, %ws] : tensor<1x2x4x4xf32>
    %r = arith.select %in, %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x2x6x6xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%pad, %w : tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>) outs(%z : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %window = tensor.empty() : tensor<2x2xf32>
  %ee = tensor.empty() : tensor<1x2x3x3xf32>
  %zp = linalg.fill ins(%ninf : f32) outs(%ee : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%conv, %window : tensor<1x2x4x4xf32>, tensor<2x2xf32>) outs(%zp : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %dww = arith.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %zd = linalg.fill ins(%zero : f32) outs(%ee : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %dw = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%pool, %dww : tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) outs(%zd : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %add = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%pool, %dw : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) outs(%ee : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x2x3x3xf32>
  return %add : tensor<1x2x3x3xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// An elementwise op that also reads an NCHW tensor in order keeps NCHW and
// reads the conv's NHWC result through a permuted map. A filter computed at
// run time is transposed at run time.
// CHECK: #[[PERM:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
// CHECK-LABEL: func.func @mixed_layouts
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x2x1x1xf32>) outs(%{{.*}} : tensor<1x1x2x2xf32>) permutation = [2, 3, 1, 0]
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nhwc_hwcf
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[PERM]], #{{.*}}, #{{.*}}]
// CHECK-SAME: ins(%[[CONV]], %{{.*}} : tensor<1x3x3x2xf32>, tensor<1x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x3x3xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: return %[[R]]
func.func @mixed_layouts(%x: tensor<1x2x3x3xf32>, %y: tensor<1x2x3x3xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) outs(%z : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv, %y : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) outs(%e : tensor<1x2x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.mulf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x2x3x3xf32>
  return %r : tensor<1x2x3x3xf32>
}

// -----

// Convolutions with dynamic shapes keep NCHW.
// CHECK-LABEL: func.func @dynamic
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK-NOT: linalg.transpose
func.func @dynamic(%x: tensor<?x2x3x3xf32>, %w: tensor<2x2x1x1xf32>, %z: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<?x2x3x3xf32>, tensor<2x2x1x1xf32>) outs(%z : tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32>
  return %conv : tensor<?x2x3x3xf32>
}
