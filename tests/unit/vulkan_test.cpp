//===- vulkan_test.cpp - Vulkan device tests through the C API --*- C++ -*-===//
//
// Runs modules whose SpirV executable is test_kernels.spvasm (assembled by
// spirv-as at build time) on a real Vulkan device (lavapipe on CI) through
// the public C API: chained dispatches through a transient, a copy, push
// constants, constants, repeated and concurrent-lifetime use; and the
// errors: a target the device cannot run, a bad device index, a module
// without a SpirV executable, no Vulkan loader. Without a Vulkan device the
// device tests skip and say why.
//
//===----------------------------------------------------------------------===//

#include "runtime/ingot_runtime.h"
#include "tests/unit/test_module_builder.h"
#include "tests/unit/test_status.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace {

using ingot::test::buildTestModule;
using ingot::test::take;
using ingot::test::TestModuleOptions;

/// Sets an environment variable for the scope, restoring it afterwards.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name_(name) {
    if (const char *old = std::getenv(name))
      old_ = old, hadOld_ = true;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (hadOld_)
      setenv(name_, old_.c_str(), 1);
    else
      unsetenv(name_);
  }

private:
  const char *name_;
  std::string old_;
  bool hadOld_ = false;
};

class VulkanTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_OK(ingot_instance_create(nullptr, &instance));
    options.executable = ingot::test::readBinaryFile(INGOT_TEST_KERNELS_PATH);
    options.spirv = ingot::test::readBinaryFile(INGOT_TEST_SPIRV_PATH);
    ingot_status_t status =
        ingot_device_create(instance, "vulkan", nullptr, &device);
    if (status && ingot_status_code(status) == INGOT_STATUS_UNAVAILABLE)
      GTEST_SKIP() << "no Vulkan device: " << take(status);
    ASSERT_OK(status);
  }
  void TearDown() override {
    ingot_function_release(function);
    ingot_module_release(module);
    ingot_device_release(device);
    ingot_instance_release(instance);
  }

  /// Loads `options` as a module and looks up main.
  void load() {
    ingot_function_release(function);
    ingot_module_release(module);
    function = nullptr;
    module = nullptr;
    std::string bytes = buildTestModule(options);
    ASSERT_OK(ingot_module_load_memory(instance, bytes.data(), bytes.size(),
                                       "vk.ingot", &module));
    ASSERT_OK(ingot_module_lookup_function(module, "main", &function));
  }

  /// Creates an n-element f32 tensor with x[i] = 10 * i.
  static ingot_tensor_t *makeInput(int64_t n = 8) {
    std::vector<float> values(n);
    for (int64_t i = 0; i < n; ++i)
      values[i] = 10.0f * i;
    ingot_tensor_t *tensor = nullptr;
    EXPECT_EQ(
        take(ingot_tensor_create(INGOT_ELEMENT_TYPE_F32, 1, &n, values.data(),
                                 n * sizeof(float), &tensor)),
        "");
    return tensor;
  }

  /// Runs main on `on` and returns the message of a failure ("" if OK).
  std::string invoke(ingot_device_t *on, ingot_tensor_t *input,
                     std::vector<float> &y, std::vector<float> &z) {
    ingot_tensor_t *outputs[2] = {nullptr, nullptr};
    std::string message =
        take(ingot_function_invoke(on, function, &input, 1, 2, outputs));
    if (!message.empty())
      return message;
    const auto *yData =
        static_cast<const float *>(ingot_tensor_data(outputs[0]));
    const auto *zData =
        static_cast<const float *>(ingot_tensor_data(outputs[1]));
    y.assign(yData, yData + 8);
    z.assign(zData, zData + 8);
    ingot_tensor_release(outputs[0]);
    ingot_tensor_release(outputs[1]);
    return "";
  }

  /// Expects main on `on` to compute y = x + c + 1 and z = x + c for the
  /// first `n` elements (c[i] = i) and zeros in y after them.
  void runAndCheck(ingot_device_t *on, int64_t n = 8) {
    ingot_tensor_t *input = makeInput();
    std::vector<float> y, z;
    ASSERT_EQ(invoke(on, input, y, z), "");
    ingot_tensor_release(input);
    for (int i = 0; i < 8; ++i) {
      if (i < n) {
        EXPECT_EQ(z[i], 10.0f * i + i) << "z[" << i << "]";
        EXPECT_EQ(y[i], 10.0f * i + i + 1) << "y[" << i << "]";
      } else {
        EXPECT_EQ(y[i], 0.0f) << "y[" << i << "] (not written)";
      }
    }
  }

  /// Expects loading the module on the Vulkan device to fail with a message
  /// containing `needle`.
  void expectRefused(const std::string &needle) {
    load();
    ingot_tensor_t *input = makeInput();
    std::vector<float> y, z;
    std::string message = invoke(device, input, y, z);
    ingot_tensor_release(input);
    EXPECT_NE(message.find(needle), std::string::npos) << message;
    EXPECT_EQ(message.rfind("vk.ingot: ", 0), 0u) << message;
  }

  ingot_instance_t *instance = nullptr;
  ingot_device_t *device = nullptr;
  ingot_module_t *module = nullptr;
  ingot_function_t *function = nullptr;
  TestModuleOptions options;
};

TEST_F(VulkanTest, RunsChainedDispatchesAndCopy) {
  EXPECT_EQ(std::string(ingot_device_name(device)).rfind("vulkan://", 0), 0u);
  EXPECT_EQ(ingot_device_thread_count(device), 0u);
  load();
  // add (2 workgroups of 4) writes the transient, add_one (4 of 2) reads it
  // after a barrier, the copy moves it to z; repeated to reuse the buffers.
  for (int repeat = 0; repeat < 3; ++repeat)
    runAndCheck(device);
  // The same module runs on the CPU from its CpuElf executable.
  ingot_device_t *cpu = nullptr;
  ASSERT_OK(ingot_device_create(instance, "cpu", nullptr, &cpu));
  runAndCheck(cpu);
  ingot_device_release(cpu);
}

TEST_F(VulkanTest, PushConstantsReachKernels) {
  // n = 5: both kernels stop at element 5; y is zero after it.
  options.pushN = 5;
  load();
  runAndCheck(device, 5);
  options.pushN = 3;
  load();
  runAndCheck(device, 3);
}

TEST_F(VulkanTest, GrowsBuffersForLargerDynamicInputs) {
  options.inputDim = -1;
  load();
  runAndCheck(device);
  // A 64-element input needs a larger invocation buffer; the program reads
  // its first 8 elements.
  ingot_tensor_t *input = makeInput(64);
  std::vector<float> y, z;
  ASSERT_EQ(invoke(device, input, y, z), "");
  ingot_tensor_release(input);
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(y[i], 10.0f * i + i + 1) << "y[" << i << "]";
  input = makeInput(4);
  EXPECT_EQ(invoke(device, input, y, z),
            "function 'main' input 0 is 16 bytes but its program reads 32");
  ingot_tensor_release(input);
  runAndCheck(device);
}

TEST_F(VulkanTest, ModuleOutlivesDevice) {
  load();
  runAndCheck(device);
  // The module keeps its pipelines for the released device alive until it
  // goes away itself; a new device loads it again.
  ingot_device_release(device);
  device = nullptr;
  ASSERT_OK(ingot_device_create(instance, "vulkan://0", nullptr, &device));
  runAndCheck(device);
  ingot_function_release(function);
  ingot_module_release(module);
  function = nullptr;
  module = nullptr;
}

TEST_F(VulkanTest, RefusesTargetsTheDeviceLacks) {
  options.vulkanVersion = (1u << 22) | (9u << 12);
  expectRefused("the SpirV executable (target 'test') needs Vulkan 1.9 (the "
                "device has Vulkan 1.");
  options = TestModuleOptions();
  options.spirv = ingot::test::readBinaryFile(INGOT_TEST_SPIRV_PATH);
  options.spirvVersion = 0x10900;
  expectRefused("needs SPIR-V 1.9 (the device takes up to SPIR-V 1.");
  options.spirvVersion = 0x10300;
  options.spirvExtensions = {"SPV_NV_cooperative_matrix"};
  expectRefused("needs SPIR-V extension 'SPV_NV_cooperative_matrix' (device "
                "extension VK_NV_cooperative_matrix), which vulkan://");
  options.spirvExtensions = {"SPV_KHR_storage_buffer_storage_class"};
  load();
  runAndCheck(device);
  options.spirvExtensions = {"SPV_XYZ_unheard_of"};
  expectRefused("declares SPIR-V extension 'SPV_XYZ_unheard_of', which the "
                "Vulkan runtime does not know how to check");
  options.spirvExtensions.clear();
  options.spirvCapabilities = {"Shader", "Kernel"};
  expectRefused("declares SPIR-V capability 'Kernel', which the Vulkan "
                "runtime does not know how to check");
  // Features map to capabilities: lavapipe runs subgroup arithmetic but not
  // clustered subgroup operations.
  options.spirvCapabilities = {"Shader",          "Int64",
                               "GroupNonUniform", "GroupNonUniformArithmetic",
                               "Float64",         "StorageBuffer8BitAccess"};
  load();
  runAndCheck(device);
  size_t count = 2;
  ingot_device_info_t infos[2];
  ASSERT_OK(ingot_instance_list_devices(instance, 2, infos, &count));
  if (std::string(infos[1].description).find("llvmpipe") != std::string::npos) {
    options.spirvCapabilities = {"Shader", "GroupNonUniformClustered"};
    expectRefused("needs SPIR-V capability 'GroupNonUniformClustered' (Vulkan "
                  "feature subgroup clustered operations), which vulkan://0 "
                  "(llvmpipe");
  }
  options.spirvCapabilities = {"Shader", "Int64"};
  options.maxWorkgroupInvocations = 1u << 30;
  expectRefused("needs workgroups of 1073741824 invocations (its "
                "maxComputeWorkGroupInvocations is ");
}

TEST_F(VulkanTest, RefusesModulesWithoutSpirV) {
  options.spirv.clear();
  expectRefused("vk.ingot: module has no SpirV executable; compile with "
                "--target=vulkan (it has: CpuElf)");
  // And the CPU refuses a module with only a SpirV executable.
  options.spirv = ingot::test::readBinaryFile(INGOT_TEST_SPIRV_PATH);
  options.withExecutable = false;
  load();
  ingot_device_t *cpu = nullptr;
  ASSERT_OK(ingot_device_create(instance, "cpu", nullptr, &cpu));
  ingot_tensor_t *input = makeInput();
  std::vector<float> y, z;
  EXPECT_EQ(invoke(cpu, input, y, z),
            "vk.ingot: the module has no CpuElf executable for the cpu "
            "device; compile with --target=cpu (it has: SpirV)");
  ingot_tensor_release(input);
  ingot_device_release(cpu);
  runAndCheck(device);
}

TEST_F(VulkanTest, CopiesOverlappingArenaRangesAndConstants) {
  // No kernels: the module needs no SpirV executable. The arena copy from
  // [0, 128) to [64, 192) overlaps and goes through scratch storage.
  std::string bytes = ingot::test::buildCopyModule();
  ASSERT_OK(ingot_module_load_memory(instance, bytes.data(), bytes.size(),
                                     "copies.ingot", &module));
  ASSERT_OK(ingot_module_lookup_function(module, "shift", &function));
  ingot_device_t *cpu = nullptr;
  ASSERT_OK(ingot_device_create(instance, "cpu", nullptr, &cpu));
  std::vector<float> x(32);
  for (int i = 0; i < 32; ++i)
    x[i] = 0.5f * i;
  int64_t dims[] = {32};
  ingot_tensor_t *input = nullptr;
  ASSERT_OK(ingot_tensor_create(INGOT_ELEMENT_TYPE_F32, 1, dims, x.data(), 128,
                                &input));
  for (ingot_device_t *on : {device, cpu}) {
    ingot_tensor_t *outputs[2] = {nullptr, nullptr};
    ASSERT_OK(ingot_function_invoke(on, function, &input, 1, 2, outputs));
    const auto *y = static_cast<const float *>(ingot_tensor_data(outputs[0]));
    const auto *k = static_cast<const float *>(ingot_tensor_data(outputs[1]));
    for (int i = 0; i < 32; ++i) {
      EXPECT_EQ(y[i], x[i]) << ingot_device_name(on) << " y[" << i << "]";
      EXPECT_EQ(k[i], 100.0f + i) << ingot_device_name(on) << " k[" << i << "]";
    }
    ingot_tensor_release(outputs[0]);
    ingot_tensor_release(outputs[1]);
  }
  ingot_tensor_release(input);
  ingot_device_release(cpu);
}

TEST_F(VulkanTest, DeviceNamesAndList) {
  size_t count = 0;
  ASSERT_OK(ingot_instance_list_devices(instance, 0, nullptr, &count));
  std::vector<ingot_device_info_t> infos(count);
  ASSERT_OK(ingot_instance_list_devices(instance, infos.size(), infos.data(),
                                        &count));
  ASSERT_GE(count, 2u);
  EXPECT_STREQ(infos[0].name, "cpu");
  EXPECT_EQ(infos[0].available, 1);
  EXPECT_STREQ(infos[1].name, "vulkan://0");
  EXPECT_NE(std::string(infos[1].description).find(" (Vulkan 1."),
            std::string::npos)
      << infos[1].description;
  size_t vulkanCount = count - 1;

  ingot_device_t *other = nullptr;
  std::string name = "vulkan://" + std::to_string(vulkanCount);
  EXPECT_EQ(take(ingot_device_create(instance, name.c_str(), nullptr, &other)),
            name + ": only " + std::to_string(vulkanCount) +
                " Vulkan device(s)");
  EXPECT_EQ(take(ingot_device_create(instance, "vulkan://x", nullptr, &other)),
            "invalid device name 'vulkan://x': expected 'vulkan' or "
            "'vulkan://N'");
  EXPECT_EQ(take(ingot_device_create(instance, "vulkan://", nullptr, &other)),
            "invalid device name 'vulkan://': expected 'vulkan' or "
            "'vulkan://N'");
  EXPECT_EQ(other, nullptr);
  EXPECT_EQ(take(ingot_instance_list_devices(instance, 1, nullptr, &count)),
            "ingot_instance_list_devices: out_infos must not be NULL");
}

TEST(VulkanLoaderTest, MissingLoaderIsAClearError) {
  ScopedEnv env("INGOT_VULKAN_LIBRARY", "libingot-no-such-vulkan.so.1");
  ingot_instance_t *instance = nullptr;
  ASSERT_OK(ingot_instance_create(nullptr, &instance));
  ingot_device_t *device = nullptr;
  ingot_status_t status =
      ingot_device_create(instance, "vulkan", nullptr, &device);
  EXPECT_EQ(ingot_status_code(status), INGOT_STATUS_UNAVAILABLE);
  EXPECT_EQ(take(status), "Vulkan is not available: "
                          "libingot-no-such-vulkan.so.1 not found");
  EXPECT_EQ(device, nullptr);
  // The list shows the CPU and why there is no Vulkan device.
  ingot_device_info_t infos[4];
  size_t count = 0;
  ASSERT_OK(ingot_instance_list_devices(instance, 4, infos, &count));
  ASSERT_EQ(count, 2u);
  EXPECT_STREQ(infos[0].name, "cpu");
  EXPECT_STREQ(infos[1].name, "vulkan");
  EXPECT_EQ(infos[1].available, 0);
  EXPECT_STREQ(infos[1].description, "Vulkan is not available: "
                                     "libingot-no-such-vulkan.so.1 not found");
  ingot_instance_release(instance);
}

TEST(VulkanLoaderTest, NoDriverIsAClearError) {
  // A loader without any driver (ICD) has no physical device.
  ScopedEnv icd("VK_ICD_FILENAMES", "/nonexistent/ingot_icd.json");
  ScopedEnv driver("VK_DRIVER_FILES", "/nonexistent/ingot_icd.json");
  ingot_instance_t *instance = nullptr;
  ASSERT_OK(ingot_instance_create(nullptr, &instance));
  ingot_device_t *device = nullptr;
  std::string message =
      take(ingot_device_create(instance, "vulkan://0", nullptr, &device));
  ingot_instance_release(instance);
  if (message.find("libvulkan.so.1 not found") != std::string::npos)
    GTEST_SKIP() << message;
  EXPECT_EQ(message.rfind("no Vulkan physical device", 0), 0u) << message;
}

} // namespace
