//===- runtime_test.cpp - End-to-end C API tests ----------------*- C++ -*-===//
//
// Runs a module whose CpuElf executable is the test_kernels shared object
// built with the C compiler, through the public C API only, with one and two
// threads; and checks the API's error paths.
//
//===----------------------------------------------------------------------===//

#include "runtime/ingot_runtime.h"
#include "tests/unit/test_module_builder.h"
#include "tests/unit/test_status.h"

#include <cstdlib>
#include <cstring>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace {

using ingot::test::buildTestModule;
using ingot::test::TestModuleOptions;

using ingot::test::take;

class RuntimeTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_OK(ingot_instance_create(nullptr, &instance));
    options.executable = ingot::test::readBinaryFile(INGOT_TEST_KERNELS_PATH);
  }
  void TearDown() override {
    ingot_function_release(function);
    ingot_module_release(module);
    ingot_device_release(device);
    ingot_instance_release(instance);
  }

  /// Loads `options` as a module and looks up main.
  void load() {
    std::string bytes = buildTestModule(options);
    ASSERT_OK(ingot_module_load_memory(instance, bytes.data(), bytes.size(),
                                       "e2e.ingot", &module));
    ASSERT_OK(ingot_module_lookup_function(module, "main", &function));
  }

  /// Creates an 8xf32 tensor with x[i] = 10 * i.
  ingot_tensor_t *makeInput() {
    float values[8];
    for (int i = 0; i < 8; ++i)
      values[i] = 10.0f * i;
    int64_t dims[] = {8};
    ingot_tensor_t *tensor = nullptr;
    EXPECT_EQ(take(ingot_tensor_create(INGOT_ELEMENT_TYPE_F32, 1, dims, values,
                                       sizeof(values), &tensor)),
              "");
    return tensor;
  }

  ingot_instance_t *instance = nullptr;
  ingot_device_t *device = nullptr;
  ingot_module_t *module = nullptr;
  ingot_function_t *function = nullptr;
  TestModuleOptions options;
};

void runAndCheck(ingot_device_t *device, ingot_function_t *function,
                 ingot_tensor_t *input) {
  ingot_tensor_t *outputs[2] = {nullptr, nullptr};
  ASSERT_OK(ingot_function_invoke(device, function, &input, 1, 2, outputs));
  for (int o = 0; o < 2; ++o) {
    ASSERT_NE(outputs[o], nullptr);
    EXPECT_EQ(ingot_tensor_element_type(outputs[o]), INGOT_ELEMENT_TYPE_F32);
    ASSERT_EQ(ingot_tensor_rank(outputs[o]), 1u);
    EXPECT_EQ(ingot_tensor_dim(outputs[o], 0), 8);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(ingot_tensor_data(outputs[o])) % 64,
              0u);
  }
  const auto *y = static_cast<const float *>(ingot_tensor_data(outputs[0]));
  const auto *z = static_cast<const float *>(ingot_tensor_data(outputs[1]));
  for (int i = 0; i < 8; ++i) {
    // c[i] = i, so z = x + c and y = x + c + 1.
    EXPECT_EQ(z[i], 10.0f * i + i) << "z[" << i << "]";
    EXPECT_EQ(y[i], 10.0f * i + i + 1) << "y[" << i << "]";
  }
  ingot_tensor_release(outputs[0]);
  ingot_tensor_release(outputs[1]);
}

TEST_F(RuntimeTest, RunsWithOneAndTwoThreads) {
  load();
  for (uint32_t threads : {1u, 2u}) {
    ingot_device_options_t deviceOptions;
    ingot_device_options_initialize(&deviceOptions);
    deviceOptions.thread_count = threads;
    ingot_device_t *cpu = nullptr;
    ASSERT_OK(ingot_device_create(instance, "cpu", &deviceOptions, &cpu));
    EXPECT_EQ(ingot_device_thread_count(cpu), threads);
    EXPECT_STREQ(ingot_device_name(cpu), "cpu");
    ingot_tensor_t *input = makeInput();
    for (int repeat = 0; repeat < 3; ++repeat)
      runAndCheck(cpu, function, input);
    ingot_tensor_release(input);
    ingot_device_release(cpu);
  }
}

TEST_F(RuntimeTest, LoadsFromFileAndAlignsWrappedInputs) {
  std::string path = ::testing::TempDir() + "/runtime_test.ingot";
  std::string bytes = buildTestModule(options);
  FILE *file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), file), bytes.size());
  std::fclose(file);
  ASSERT_OK(ingot_module_load_file(instance, path.c_str(), &module));
  ASSERT_EQ(ingot_module_function_count(module), 1u);
  EXPECT_STREQ(ingot_module_function_name(module, 0), "main");
  EXPECT_EQ(ingot_module_function_name(module, 1), nullptr);
  EXPECT_STREQ(ingot_module_name(module), "test");
  ASSERT_OK(ingot_module_lookup_function(module, "main", &function));
  ASSERT_OK(ingot_device_create(instance, "cpu", nullptr, &device));

  // An input at a deliberately misaligned address is still computed right.
  alignas(64) float storage[9 + 16];
  float *values = storage + 1;
  for (int i = 0; i < 8; ++i)
    values[i] = 10.0f * i;
  int64_t dims[] = {8};
  ingot_tensor_t *input = nullptr;
  int released = 0;
  ASSERT_OK(ingot_tensor_wrap(
      INGOT_ELEMENT_TYPE_F32, 1, dims, values, 8 * sizeof(float),
      [](void *user, void *) { ++*static_cast<int *>(user); }, &released,
      &input));
  runAndCheck(device, function, input);
  ingot_tensor_release(input);
  EXPECT_EQ(released, 1);
  std::remove(path.c_str());
}

TEST_F(RuntimeTest, SignatureQueries) {
  load();
  EXPECT_STREQ(ingot_function_name(function), "main");
  ASSERT_EQ(ingot_function_input_count(function), 1u);
  ASSERT_EQ(ingot_function_output_count(function), 2u);
  ingot_parameter_t param;
  ASSERT_OK(ingot_function_input(function, 0, &param));
  EXPECT_STREQ(param.name, "x");
  EXPECT_EQ(param.element_type, INGOT_ELEMENT_TYPE_F32);
  ASSERT_EQ(param.rank, 1u);
  EXPECT_EQ(param.dims[0], 8);
  ASSERT_OK(ingot_function_output(function, 1, &param));
  EXPECT_STREQ(param.name, "z");
  EXPECT_EQ(take(ingot_function_output(function, 2, &param)),
            "function 'main' has 2 outputs; no output 2");
}

TEST_F(RuntimeTest, ValidatesInputs) {
  load();
  ASSERT_OK(ingot_device_create(instance, "cpu", nullptr, &device));
  ingot_tensor_t *outputs[2];
  EXPECT_EQ(
      take(ingot_function_invoke(device, function, nullptr, 0, 2, outputs)),
      "function 'main' expects 1 input but 0 were given (signature: "
      "main(x: 8xf32) -> (y: 8xf32, z: 8xf32))");

  int64_t wrongDims[] = {1, 8};
  ingot_tensor_t *wrongShape = nullptr;
  ASSERT_OK(ingot_tensor_create(INGOT_ELEMENT_TYPE_F32, 2, wrongDims, nullptr,
                                0, &wrongShape));
  EXPECT_EQ(
      take(ingot_function_invoke(device, function, &wrongShape, 1, 2, outputs)),
      "function 'main' input 0 'x': expected 8xf32 but got 1x8xf32");
  ingot_tensor_release(wrongShape);

  int64_t dims[] = {8};
  ingot_tensor_t *wrongType = nullptr;
  ASSERT_OK(ingot_tensor_create(INGOT_ELEMENT_TYPE_I32, 1, dims, nullptr, 0,
                                &wrongType));
  EXPECT_EQ(
      take(ingot_function_invoke(device, function, &wrongType, 1, 2, outputs)),
      "function 'main' input 0 'x': expected 8xf32 but got 8xi32");
  ingot_tensor_release(wrongType);

  ingot_tensor_t *input = makeInput();
  EXPECT_EQ(
      take(ingot_function_invoke(device, function, &input, 1, 1, outputs)),
      "function 'main' has 2 outputs but room for 1 was given");
  ingot_tensor_release(input);
}

TEST_F(RuntimeTest, DynamicInputDimAcceptsAnySize) {
  options.inputDim = -1;
  load();
  ASSERT_OK(ingot_device_create(instance, "cpu", nullptr, &device));
  ingot_tensor_t *input = makeInput();
  runAndCheck(device, function, input);
  ingot_tensor_release(input);
  // Too small for what the program reads: a clear error, not a crash.
  int64_t dims[] = {4};
  ingot_tensor_t *small = nullptr;
  ASSERT_OK(
      ingot_tensor_create(INGOT_ELEMENT_TYPE_F32, 1, dims, nullptr, 0, &small));
  ingot_tensor_t *outputs[2];
  EXPECT_EQ(
      take(ingot_function_invoke(device, function, &small, 1, 2, outputs)),
      "function 'main' input 0 is 16 bytes but its program reads 32");
  ingot_tensor_release(small);
}

TEST_F(RuntimeTest, BatchTileRunsOncePerTile) {
  // Tiles of 8 rows: batch N runs the program N/8 times on views of the rows
  // (the second tile's rows are not 64-byte aligned: scratch and copy).
  options.inputDim = -1;
  options.outputDim = -1;
  options.batchTile = 8;
  load();
  ASSERT_OK(ingot_device_create(instance, "cpu", nullptr, &device));
  ingot_parameter_t param;
  ASSERT_OK(ingot_function_output(function, 0, &param));
  EXPECT_EQ(param.dims[0], -1);
  for (int64_t n : {0, 8, 24}) {
    std::vector<float> values(n);
    for (int64_t i = 0; i < n; ++i)
      values[i] = 10.0f * i;
    int64_t dims[] = {n};
    ingot_tensor_t *input = nullptr;
    ASSERT_OK(ingot_tensor_create(INGOT_ELEMENT_TYPE_F32, 1, dims,
                                  values.data(), n * sizeof(float), &input));
    ingot_tensor_t *outputs[2] = {nullptr, nullptr};
    ASSERT_OK(ingot_function_invoke(device, function, &input, 1, 2, outputs));
    for (int o = 0; o < 2; ++o)
      EXPECT_EQ(ingot_tensor_dim(outputs[o], 0), n);
    const auto *y = static_cast<const float *>(ingot_tensor_data(outputs[0]));
    const auto *z = static_cast<const float *>(ingot_tensor_data(outputs[1]));
    for (int64_t i = 0; i < n; ++i) {
      // Each tile adds the 8-element constant c[i] = i.
      EXPECT_EQ(z[i], 10.0f * i + i % 8) << "n=" << n << " z[" << i << "]";
      EXPECT_EQ(y[i], 10.0f * i + i % 8 + 1) << "n=" << n << " y[" << i << "]";
    }
    ingot_tensor_release(outputs[0]);
    ingot_tensor_release(outputs[1]);
    ingot_tensor_release(input);
  }
  // A batch that is not a multiple of the tile.
  int64_t dims[] = {12};
  ingot_tensor_t *odd = nullptr;
  ASSERT_OK(
      ingot_tensor_create(INGOT_ELEMENT_TYPE_F32, 1, dims, nullptr, 0, &odd));
  ingot_tensor_t *outputs[2];
  EXPECT_EQ(take(ingot_function_invoke(device, function, &odd, 1, 2, outputs)),
            "function 'main' input 0 'x': the batch size 12 (dim 0) is not a "
            "multiple of the function's batch tile 8");
  ingot_tensor_release(odd);
}

TEST_F(RuntimeTest, ExecutableErrors) {
  ASSERT_OK(ingot_device_create(instance, "cpu", nullptr, &device));
  options.executable = std::string(256, 'x');
  load();
  ingot_tensor_t *input = makeInput();
  ingot_tensor_t *outputs[2];
  std::string message =
      take(ingot_function_invoke(device, function, &input, 1, 2, outputs));
  EXPECT_NE(message.find("e2e.ingot: cannot load the CpuElf executable "
                         "(target 'x86_64-unknown-linux-gnu'): "),
            std::string::npos)
      << message;
  ingot_function_release(function);
  ingot_module_release(module);
  function = nullptr;
  module = nullptr;

  options.withExecutable = false;
  load();
  EXPECT_EQ(
      take(ingot_function_invoke(device, function, &input, 1, 2, outputs)),
      "e2e.ingot: the module has no CpuElf executable for the cpu "
      "device; compile with --target=cpu (it has: none)");
  ingot_tensor_release(input);
}

TEST_F(RuntimeTest, LookupAndDeviceErrors) {
  load();
  ingot_function_t *missing = nullptr;
  EXPECT_EQ(take(ingot_module_lookup_function(module, "predict", &missing)),
            "e2e.ingot: no function 'predict'; available functions: main");
  EXPECT_EQ(missing, nullptr);
  EXPECT_EQ(take(ingot_device_create(instance, "tpu", nullptr, &device)),
            "unknown device 'tpu'; device kinds: cpu, vulkan (see "
            "--list_devices)");
  EXPECT_EQ(take(ingot_device_create(instance, "cpu://1", nullptr, &device)),
            "invalid device name 'cpu://1': expected 'cpu'");
  ASSERT_EQ(ingot_instance_device_count(instance), 2u);
  EXPECT_STREQ(ingot_instance_device_name(instance, 0), "cpu");
  EXPECT_STREQ(ingot_instance_device_name(instance, 1), "vulkan");
  EXPECT_EQ(ingot_instance_device_name(instance, 2), nullptr);
  ingot_instance_options_t instanceOptions;
  ingot_instance_options_initialize(&instanceOptions);
  instanceOptions.api_version = 99;
  ingot_instance_t *other = nullptr;
  EXPECT_NE(take(ingot_instance_create(&instanceOptions, &other)), "");
  EXPECT_EQ(other, nullptr);
}

TEST(TensorTest, CreateAndAccessors) {
  int64_t dims[] = {2, 3};
  int32_t values[] = {1, 2, 3, 4, 5, 6};
  ingot_tensor_t *tensor = nullptr;
  ASSERT_OK(ingot_tensor_create(INGOT_ELEMENT_TYPE_I32, 2, dims, values,
                                sizeof(values), &tensor));
  EXPECT_EQ(ingot_tensor_element_count(tensor), 6u);
  EXPECT_EQ(ingot_tensor_byte_size(tensor), 24u);
  EXPECT_EQ(ingot_tensor_dim(tensor, 1), 3);
  EXPECT_EQ(ingot_tensor_dim(tensor, 2), -1);
  EXPECT_EQ(std::memcmp(ingot_tensor_data(tensor), values, 24), 0);
  ingot_tensor_retain(tensor);
  ingot_tensor_release(tensor);
  ingot_tensor_release(tensor);

  EXPECT_EQ(take(ingot_tensor_create(INGOT_ELEMENT_TYPE_I32, 2, dims, values,
                                     20, &tensor)),
            "tensor of type 2x3xi32 needs 24 bytes of data but 20 were given");
  int64_t negative[] = {-1};
  EXPECT_NE(take(ingot_tensor_create(INGOT_ELEMENT_TYPE_F32, 1, negative,
                                     nullptr, 0, &tensor)),
            "");
  EXPECT_EQ(take(ingot_tensor_create(static_cast<ingot_element_type_t>(42), 0,
                                     nullptr, nullptr, 0, &tensor)),
            "invalid element type 42");
  EXPECT_EQ(tensor, nullptr);
}

TEST(StatusTest, CodesAndMessages) {
  EXPECT_EQ(ingot_status_code(nullptr), INGOT_STATUS_OK);
  EXPECT_STREQ(ingot_status_message(nullptr), "OK");
  EXPECT_EQ(ingot_status_create(INGOT_STATUS_OK, "ignored"), nullptr);
  ingot_status_t status = ingot_status_create(INGOT_STATUS_NOT_FOUND, "gone");
  EXPECT_EQ(ingot_status_code(status), INGOT_STATUS_NOT_FOUND);
  EXPECT_STREQ(ingot_status_message(status), "gone");
  EXPECT_STREQ(ingot_status_code_name(ingot_status_code(status)), "NOT_FOUND");
  ingot_status_free(status);
}

} // namespace
