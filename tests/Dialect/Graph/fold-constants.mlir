// RUN: ingot-opt --split-input-file --ingot-graph-fold-constants %s | FileCheck %s

// Exporter shape arithmetic (BERT attention heads): a dim gathered from a
// shape, divided by the head count and concatenated via reshape/mul/add.
// CHECK-LABEL: func.func @shape_arithmetic
// CHECK-NEXT: %[[C:.*]] = graph.constant dense<[1, 8, 2, 16]> : tensor<4xi64>
// CHECK-NEXT: return %[[C]]
func.func @shape_arithmetic() -> tensor<4xi64> {
  %shape = graph.constant dense<[1, 8, 32]> : tensor<3xi64>
  %i2 = graph.constant dense<2> : tensor<i64>
  %heads = graph.constant dense<2> : tensor<1xi64>
  %d = graph.gather %shape, %i2 {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %d1 = graph.reshape %d [1] : tensor<i64> -> tensor<1xi64>
  %h = graph.div %d1, %heads : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  // [1, 8, 0, 0] + [0, 0, 2, 0] + [0, 0, 0, 1] * h
  %lead = graph.constant dense<[1, 8, 0, 0]> : tensor<4xi64>
  %mid = graph.constant dense<[0, 0, 2, 0]> : tensor<4xi64>
  %sel = graph.constant dense<[0, 0, 0, 1]> : tensor<4xi64>
  %a = graph.add %lead, %mid : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %b = graph.mul %sel, %h : (tensor<4xi64>, tensor<1xi64>) -> tensor<4xi64>
  %c = graph.add %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %c : tensor<4xi64>
}

// -----

// Broadcasting float arithmetic, sub and a splat result.
// CHECK-LABEL: func.func @float_broadcast
// CHECK-DAG: graph.constant dense<{{\[}}[0.000000e+00, 1.000000e+00], [2.000000e+00, 3.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: graph.constant dense<1.500000e+00> : tensor<3xf32>
// CHECK-NOT: graph.sub
// CHECK-NOT: graph.div
func.func @float_broadcast() -> (tensor<2x2xf32>, tensor<3xf32>) {
  %a = graph.constant dense<[[1.0], [3.0]]> : tensor<2x1xf32>
  %b = graph.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %0 = graph.sub %a, %b : (tensor<2x1xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %s = graph.constant dense<3.0> : tensor<3xf32>
  %t = graph.constant dense<2.0> : tensor<3xf32>
  %1 = graph.div %s, %t : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1 : tensor<2x2xf32>, tensor<3xf32>
}

// -----

// Transpose, slice, gather (negative index) and flatten of constants.
// CHECK-LABEL: func.func @data_movement
// CHECK-DAG: graph.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
// CHECK-DAG: graph.constant dense<{{\[}}[4, 6]]> : tensor<1x2xi32>
// CHECK-DAG: graph.constant dense<{{\[}}[3, 1], [6, 4]]> : tensor<2x2xi32>
// CHECK-DAG: graph.constant dense<{{\[}}[1, 2, 3, 4, 5, 6]]> : tensor<1x6xi32>
// CHECK-NOT: graph.transpose
// CHECK-NOT: graph.slice
// CHECK-NOT: graph.gather
// CHECK-NOT: graph.flatten
func.func @data_movement() -> (tensor<3x2xi32>, tensor<1x2xi32>, tensor<2x2xi32>, tensor<1x6xi32>) {
  %c = graph.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %0 = graph.transpose %c [1, 0] : tensor<2x3xi32> -> tensor<3x2xi32>
  %1 = graph.slice %c {starts = array<i64: 1, 0>, steps = array<i64: 1, 2>} : tensor<2x3xi32> -> tensor<1x2xi32>
  %i = graph.constant dense<[-1, 0]> : tensor<2xi64>
  %2 = graph.gather %c, %i {axis = 1 : i64} : (tensor<2x3xi32>, tensor<2xi64>) -> tensor<2x2xi32>
  %3 = graph.flatten %c {axis = 0 : i64} : tensor<2x3xi32> -> tensor<1x6xi32>
  return %0, %1, %2, %3 : tensor<3x2xi32>, tensor<1x2xi32>, tensor<2x2xi32>, tensor<1x6xi32>
}

// -----

// A big weight used once is transposed in place of the original, which is
// erased; the same weight with a second user is not duplicated.
// CHECK-LABEL: func.func @weight_transpose
// CHECK: %[[W:.*]] = graph.constant dense<{{.*}}> : tensor<64x32xf32>
// CHECK-NOT: graph.constant
// CHECK: graph.matmul %{{.*}}, %[[W]]
func.func @weight_transpose(%x: tensor<1x64xf32>) -> tensor<1x32xf32> {
  %w = graph.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0, 64.0]]> : tensor<1x64xf32>
  %z = graph.constant dense<0.0> : tensor<32x64xf32>
  %big = graph.add %z, %w : (tensor<32x64xf32>, tensor<1x64xf32>) -> tensor<32x64xf32>
  %t = graph.transpose %big [1, 0] : tensor<32x64xf32> -> tensor<64x32xf32>
  %0 = graph.matmul %x, %t : (tensor<1x64xf32>, tensor<64x32xf32>) -> tensor<1x32xf32>
  return %0 : tensor<1x32xf32>
}

// -----

// Negative cases: a broadcast that grows a shared constant past the size
// limit, a transpose of a weight with another user, non-constant operands
// and integer division by zero are left alone.
// CHECK-LABEL: func.func @not_folded
// CHECK: graph.add
// CHECK: graph.transpose
// CHECK: graph.mul %arg0
// CHECK: graph.div
func.func @not_folded(%x: tensor<4xi64>) -> (tensor<64x64xf32>, tensor<64x32xf32>, tensor<32x64xf32>, tensor<4xi64>, tensor<2xi64>) {
  %r = graph.constant dense<1.0> : tensor<64x1xf32>
  %c = graph.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0, 64.0]]> : tensor<1x64xf32>
  %0 = graph.add %r, %c : (tensor<64x1xf32>, tensor<1x64xf32>) -> tensor<64x64xf32>
  %s = graph.slice %0 {starts = array<i64: 0, 0>, steps = array<i64: 2, 1>} : tensor<64x64xf32> -> tensor<32x64xf32>
  %1 = graph.transpose %s [1, 0] : tensor<32x64xf32> -> tensor<64x32xf32>
  %k = graph.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %2 = graph.mul %x, %k : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %n = graph.constant dense<[6, 8]> : tensor<2xi64>
  %d = graph.constant dense<[3, 0]> : tensor<2xi64>
  %3 = graph.div %n, %d : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0, %1, %s, %2, %3 : tensor<64x64xf32>, tensor<64x32xf32>, tensor<32x64xf32>, tensor<4xi64>, tensor<2xi64>
}

// -----

// A weight past the size limit with a second user is not transposed into a
// copy; the same weight with one user is.
// CHECK-LABEL: func.func @shared_weight
// CHECK: %[[W:.*]] = graph.constant dense<{{.*}}> : tensor<33x32xi8>
// CHECK: %[[T:.*]] = graph.transpose %[[W]] [1, 0] : tensor<33x32xi8> -> tensor<32x33xi8>
// CHECK: return %[[W]], %[[T]]
func.func @shared_weight() -> (tensor<33x32xi8>, tensor<32x33xi8>) {
  %w = graph.constant dense<"0x00070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C13"> : tensor<33x32xi8>
  %t = graph.transpose %w [1, 0] : tensor<33x32xi8> -> tensor<32x33xi8>
  return %w, %t : tensor<33x32xi8>, tensor<32x33xi8>
}

// -----

// CHECK-LABEL: func.func @single_use_weight
// CHECK-NEXT: %[[T:.*]] = graph.constant dense<{{.*}}> : tensor<32x33xi8>
// CHECK-NEXT: return %[[T]]
func.func @single_use_weight() -> tensor<32x33xi8> {
  %w = graph.constant dense<"0x00070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C131A21282F363D444B525960676E757C040B121920272E353C434A51585F666D747B030A11181F262D343B424950575E656C737A020910171E252C333A41484F565D646B727901080F161D242B323940474E555C636A717800070E151C232A31383F464D545B626970777E060D141B222930373E454C535A61686F767D050C13"> : tensor<33x32xi8>
  %t = graph.transpose %w [1, 0] : tensor<33x32xi8> -> tensor<32x33xi8>
  return %t : tensor<32x33xi8>
}
