//===- npy_test.cpp - .npy reader and writer tests --------------*- C++ -*-===//

#include "runtime/tooling/npy.h"

#include <cstring>
#include <gtest/gtest.h>
#include <string>

namespace {

using namespace ingot::tooling;

std::string take(ingot_status_t status) {
  std::string message = status ? ingot_status_message(status) : "";
  ingot_status_free(status);
  return message;
}

/// Builds a version-1 .npy with `header` (padded) followed by `data`.
std::string makeNpy(const std::string &header, const std::string &data,
                    uint8_t major = 1) {
  std::string text = header;
  size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + text.size() + 1) % 64)
    text += ' ';
  text += '\n';
  std::string file("\x93NUMPY", 6);
  file += static_cast<char>(major);
  file += '\0';
  file += static_cast<char>(text.size() & 0xff);
  file += static_cast<char>(text.size() >> 8);
  if (major != 1)
    file += std::string(2, '\0');
  return file + text + data;
}

ingot_status_t parse(const std::string &bytes, ingot_tensor_t **out) {
  size_t offset = 0;
  return npyParse(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(),
                  offset, "t.npy", out);
}

TEST(Npy, RoundTripsEveryDtype) {
  for (uint32_t t = 0; t < INGOT_ELEMENT_TYPE_COUNT; ++t) {
    auto type = static_cast<ingot_element_type_t>(t);
    int64_t dims[] = {2, 3};
    size_t bytes = 6 * ingot_element_type_size(type);
    std::string data(bytes, '\0');
    for (size_t i = 0; i < bytes; ++i)
      data[i] = static_cast<char>(type == INGOT_ELEMENT_TYPE_I1 ? (i % 2)
                                                                : (i * 7 + 1));
    ingot_tensor_t *tensor = nullptr;
    ASSERT_EQ(
        take(ingot_tensor_create(type, 2, dims, data.data(), bytes, &tensor)),
        "");
    std::string file;
    std::string error = take(npySerialize(tensor, file));
    ingot_tensor_release(tensor);
    if (type == INGOT_ELEMENT_TYPE_BF16) {
      EXPECT_EQ(error, "bf16 tensors cannot be written to .npy (NumPy has no "
                       "such dtype)");
      continue;
    }
    ASSERT_EQ(error, "") << ingot_element_type_name(type);
    EXPECT_EQ((file.size() - bytes) % 64, 0u) << "data is not 64-aligned";
    ingot_tensor_t *back = nullptr;
    ASSERT_EQ(take(parse(file, &back)), "") << ingot_element_type_name(type);
    EXPECT_EQ(ingot_tensor_element_type(back), type);
    ASSERT_EQ(ingot_tensor_rank(back), 2u);
    EXPECT_EQ(ingot_tensor_dim(back, 0), 2);
    EXPECT_EQ(ingot_tensor_dim(back, 1), 3);
    EXPECT_EQ(std::memcmp(ingot_tensor_data(back), data.data(), bytes), 0);
    ingot_tensor_release(back);
  }
}

TEST(Npy, ReadsHandWrittenHeaders) {
  float values[] = {1.5f, -2.0f};
  std::string data(reinterpret_cast<char *>(values), sizeof(values));
  for (const char *header :
       {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
        "{\"shape\": (2,), \"descr\": \"<f4\", \"fortran_order\": False}",
        "{'descr':'<f4','fortran_order':True,'shape':(2,)}"}) {
    for (uint8_t major : {1, 2}) {
      ingot_tensor_t *tensor = nullptr;
      ASSERT_EQ(take(parse(makeNpy(header, data, major), &tensor)), "")
          << header;
      EXPECT_EQ(ingot_tensor_element_count(tensor), 2u);
      EXPECT_EQ(static_cast<const float *>(ingot_tensor_data(tensor))[1],
                -2.0f);
      ingot_tensor_release(tensor);
    }
  }
  ingot_tensor_t *scalar = nullptr;
  ASSERT_EQ(take(parse(makeNpy("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (), }",
                               data.substr(0, 4)),
                       &scalar)),
            "");
  EXPECT_EQ(ingot_tensor_rank(scalar), 0u);
  ingot_tensor_release(scalar);
}

TEST(Npy, RejectsMalformedFiles) {
  std::string data(24, '\0');
  ingot_tensor_t *tensor = nullptr;
  auto error = [&](const std::string &bytes) {
    std::string message = take(parse(bytes, &tensor));
    EXPECT_EQ(tensor, nullptr);
    return message;
  };
  EXPECT_EQ(error(makeNpy("{'descr': '<f4', 'fortran_order': True, "
                          "'shape': (2, 3), }",
                          data)),
            "t.npy: Fortran-order .npy arrays are not supported; save a "
            "C-contiguous array (numpy.ascontiguousarray)");
  EXPECT_NE(error(makeNpy("{'descr': '<c8', 'fortran_order': False, "
                          "'shape': (3,), }",
                          data))
                .find("unsupported .npy dtype '<c8'"),
            std::string::npos);
  EXPECT_NE(error(makeNpy("{'descr': '>f4', 'fortran_order': False, "
                          "'shape': (6,), }",
                          data))
                .find("big-endian"),
            std::string::npos);
  EXPECT_EQ(error(makeNpy("{'descr': '<f4', 'fortran_order': False, "
                          "'shape': (2, 4), }",
                          data)),
            "t.npy: truncated .npy data: 2x4xf32 needs 32 bytes but only 24 "
            "follow the header");
  EXPECT_NE(error(makeNpy("{'descr': '<f4', 'shape': (2, 3), }", data))
                .find("malformed .npy header"),
            std::string::npos);
  EXPECT_NE(error(makeNpy("{'descr': [('a', '<f4')], 'fortran_order': False, "
                          "'shape': (2, 3), }",
                          data))
                .find("unsupported .npy dtype"),
            std::string::npos);
  EXPECT_EQ(error("PK\x03\x04 not numpy"),
            "t.npy: not a .npy file (bad magic)");
  EXPECT_EQ(error(""), "t.npy: not a .npy file (too short for the magic)");
  std::string valid = makeNpy("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (2, 3), }",
                              data);
  for (size_t length = 0; length < valid.size(); ++length)
    EXPECT_NE(error(valid.substr(0, length)), "") << length;
}

TEST(Npy, FilesAppendAndReadBack) {
  std::string path = ::testing::TempDir() + "/npy_test.npy";
  int64_t dims[] = {3};
  int16_t first[] = {1, -2, 3};
  int16_t second[] = {4, 5, 6};
  ingot_tensor_t *a = nullptr, *b = nullptr;
  ASSERT_EQ(take(ingot_tensor_create(INGOT_ELEMENT_TYPE_I16, 1, dims, first,
                                     sizeof(first), &a)),
            "");
  ASSERT_EQ(take(ingot_tensor_create(INGOT_ELEMENT_TYPE_I16, 1, dims, second,
                                     sizeof(second), &b)),
            "");
  ASSERT_EQ(take(npyWriteFile(path, a, /*append=*/false)), "");
  ASSERT_EQ(take(npyWriteFile(path, b, /*append=*/true)), "");
  std::string bytes;
  ASSERT_EQ(take(readFile(path, bytes)), "");
  size_t offset = 0;
  for (ingot_tensor_t *expected : {a, b}) {
    ingot_tensor_t *tensor = nullptr;
    ASSERT_EQ(take(npyParse(reinterpret_cast<const uint8_t *>(bytes.data()),
                            bytes.size(), offset, path, &tensor)),
              "");
    EXPECT_EQ(
        std::memcmp(ingot_tensor_data(tensor), ingot_tensor_data(expected), 6),
        0);
    ingot_tensor_release(tensor);
  }
  EXPECT_EQ(offset, bytes.size());
  ingot_tensor_release(a);
  ingot_tensor_release(b);
  std::remove(path.c_str());
  ingot_tensor_t *missing = nullptr;
  EXPECT_NE(take(npyReadFile(path, &missing)).find("cannot open"),
            std::string::npos);
}

} // namespace
