//===- ingot-test-onnx.cpp - ONNX backend test suite runner -----*- C++ -*-===//
//
// Runs ONNX backend test cases end to end (compile, run on the CPU device,
// compare) and checks the results against an expectations file:
//
//   ingot-test-onnx --expectations=tests/onnx/expectations.txt --jobs=2 \
//     /usr/share/libonnx-testdata/data/node ...
//
// Each argument is a case directory (holding model.onnx) or a folder of
// them. Every case runs in a forked child process with a time limit, so a
// crash or a hang fails that case only; --jobs children run at once. When
// the --device cannot be created because the machine has none (no Vulkan
// driver or GPU), nothing runs and the exit status is 77 (skipped). The
// parent initializes the compiler library once and never compiles itself,
// so it stays single-threaded and safe to fork.
//
//===----------------------------------------------------------------------===//

#include "compiler/API/ingot_compiler.h"
#include "runtime/tooling/flags.h"
#include "tools/ingot-test-onnx/Expectations.h"
#include "tools/ingot-test-onnx/TestCase.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ingot::test_onnx;

namespace {

constexpr const char *kTool = "ingot-test-onnx";

/// One case to run.
struct Case {
  /// `folder/case`, the key of the expectations file.
  std::string name;
  std::string dir;
  CaseResult result;
};

/// A child process running one case.
struct Child {
  pid_t pid;
  int fd;
  size_t index;
  std::string output;
  std::chrono::steady_clock::time_point start;
};

bool isDirectory(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string baseName(std::string path) {
  while (path.size() > 1 && path.back() == '/')
    path.pop_back();
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string parentName(std::string path) {
  while (path.size() > 1 && path.back() == '/')
    path.pop_back();
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : baseName(path.substr(0, slash));
}

/// Adds the case at `path`, or every case directly under it.
bool collectCases(const std::string &path, std::vector<Case> &cases) {
  if (::access((path + "/model.onnx").c_str(), R_OK) == 0) {
    cases.push_back({parentName(path) + "/" + baseName(path), path, {}});
    return true;
  }
  DIR *dir = ::opendir(path.c_str());
  if (!dir)
    return false;
  std::vector<std::string> names;
  while (dirent *entry = ::readdir(dir))
    names.push_back(entry->d_name);
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  size_t before = cases.size();
  for (const std::string &name : names) {
    std::string sub = path + "/" + name;
    if (name[0] != '.' && isDirectory(sub) &&
        ::access((sub + "/model.onnx").c_str(), R_OK) == 0)
      cases.push_back({baseName(path) + "/" + name, sub, {}});
  }
  return cases.size() > before;
}

/// Encodes a result for the pipe: `P` or `F<category>`, a newline, the
/// reason.
std::string encode(const CaseResult &result) {
  return result.passed ? "P\n" : "F" + result.category + "\n" + result.reason;
}

CaseResult decode(const std::string &data) {
  size_t newline = data.find('\n');
  if (data.empty() || newline == std::string::npos)
    return {false, "crash", "the child exited without a result"};
  if (data[0] == 'P')
    return {true, "", ""};
  return {false, data.substr(1, newline - 1), data.substr(newline + 1)};
}

/// Exit status of a run whose device is not available on this machine
/// (ctest's SKIP_RETURN_CODE of onnx-conformance-vulkan).
constexpr int kExitSkipped = 77;

/// Checks in a forked child (the parent must stay single-threaded, and a
/// Vulkan device starts driver threads) that `device` can be created.
/// Returns 0 if it can; otherwise prints why and returns kExitSkipped when
/// the device is unavailable on this machine, 2 for any other error.
int checkDevice(const std::string &device) {
  int fds[2];
  if (::pipe(fds) != 0)
    return 2;
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = ::fork();
  if (pid < 0)
    return 2;
  if (pid == 0) {
    ::close(fds[0]);
    bool unavailable = false;
    std::string message = probeDevice(device, unavailable);
    if (::write(fds[1], message.data(), message.size()) < 0)
      ::_exit(2);
    ::_exit(message.empty() ? 0 : unavailable ? kExitSkipped : 2);
  }
  ::close(fds[1]);
  std::string message;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buffer, sizeof(buffer))) > 0)
    message.append(buffer, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 2;
  if (code == kExitSkipped)
    std::printf("%s: skipped: device '%s' is not available on this machine: "
                "%s\n",
                kTool, device.c_str(), message.c_str());
  else if (code != 0)
    std::fprintf(stderr, "%s: cannot create device '%s': %s\n", kTool,
                 device.c_str(),
                 message.empty() ? "the probe crashed" : message.c_str());
  return code == 0 || code == kExitSkipped ? code : 2;
}

/// Starts a child running `c`; returns false if fork failed.
bool startChild(const Case &c, size_t index, const CompareOptions &options,
                bool verbose, std::vector<Child> &running) {
  int fds[2];
  if (::pipe(fds) != 0)
    return false;
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  if (pid == 0) {
    ::close(fds[0]);
    if (!verbose) {
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    std::string data = encode(runCase(c.dir, options));
    const char *p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fds[1], p, left);
      if (n <= 0)
        break;
      p += n;
      left -= static_cast<size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  running.push_back({pid, fds[0], index, "", std::chrono::steady_clock::now()});
  return true;
}

/// The result of a child that closed its pipe, from its exit status.
CaseResult reap(Child &child) {
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  ::close(child.fd);
  if (WIFSIGNALED(status))
    return {false, "crash",
            std::string("killed by signal ") + strsignal(WTERMSIG(status))};
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return {false, "crash",
            "exited with status " + std::to_string(WEXITSTATUS(status))};
  return decode(child.output);
}

void printResult(const Case &c, bool verbose) {
  if (c.result.passed) {
    std::printf("PASS %s\n", c.name.c_str());
  } else {
    std::printf("FAIL %s: %s: %s\n", c.name.c_str(), c.result.category.c_str(),
                firstLine(c.result.reason).c_str());
    if (verbose)
      std::printf("%s\n", c.result.reason.c_str());
  }
  std::fflush(stdout);
}

/// Runs every case, `jobs` at a time, each with `timeout` seconds.
void runAll(std::vector<Case> &cases, int64_t jobs, int64_t timeout,
            const CompareOptions &options, bool verbose) {
  std::vector<Child> running;
  size_t next = 0;
  while (next < cases.size() || !running.empty()) {
    while (next < cases.size() && static_cast<int64_t>(running.size()) < jobs) {
      if (!startChild(cases[next], next, options, verbose, running)) {
        cases[next].result = {false, "crash", "cannot fork"};
        printResult(cases[next], verbose);
      }
      ++next;
    }
    std::vector<pollfd> fds;
    for (const Child &child : running)
      fds.push_back({child.fd, POLLIN, 0});
    ::poll(fds.data(), fds.size(), 200);
    auto now = std::chrono::steady_clock::now();
    for (size_t i = running.size(); i-- > 0;) {
      Child &child = running[i];
      bool done = false;
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buffer[4096];
        ssize_t n = ::read(child.fd, buffer, sizeof(buffer));
        if (n > 0)
          child.output.append(buffer, static_cast<size_t>(n));
        else
          done = true;
      }
      Case &c = cases[child.index];
      if (done) {
        c.result = reap(child);
      } else if (now - child.start > std::chrono::seconds(timeout)) {
        ::kill(child.pid, SIGKILL);
        reap(child);
        c.result = {false, "timeout",
                    "no result after " + std::to_string(timeout) + " s"};
        done = true;
      }
      if (done) {
        printResult(c, verbose);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
}

} // namespace

int main(int argc, char **argv) {
  std::string expectationsPath, updatePath;
  int64_t jobs = 2, timeout = 60;
  bool verbose = false, help = false;
  CompareOptions options;
  ingot::tooling::FlagSet flags;
  flags.addString("expectations", &expectationsPath,
                  "expectations file to check the results against");
  flags.addString("update-expectations", &updatePath,
                  "write the results to this expectations file (cases not "
                  "run keep their lines)");
  flags.addInt("jobs", &jobs, "cases run at once (default 2)");
  flags.addInt("timeout", &timeout, "seconds per case (default 60)");
  flags.addDouble("rtol", &options.rtol, "relative tolerance (1e-3)");
  flags.addDouble("atol", &options.atol, "absolute tolerance (1e-7)");
  flags.addString("device", &options.device,
                  "device to run on: cpu (default), vulkan or vulkan://N; "
                  "vulkan compiles with --target=vulkan");
  flags.addBool("verbose", &verbose, "print full failure messages");
  flags.addBool("help", &help, "print this help");
  std::vector<std::string> paths;
  if (ingot_status_t status = flags.parse(argc, argv, paths, nullptr)) {
    std::fprintf(stderr, "%s: %s\n", kTool, ingot_status_message(status));
    ingot_status_free(status);
    return 2;
  }
  if (help || paths.empty()) {
    std::fprintf(help ? stdout : stderr,
                 "usage: %s [flags] CASE_DIR...\n\nRuns ONNX backend test "
                 "cases (a directory with model.onnx, or a folder of them).\n"
                 "\nFlags:\n%s",
                 kTool, flags.help().c_str());
    return help ? 0 : 2;
  }
  if (options.device != "cpu" && options.device.rfind("vulkan", 0) != 0) {
    std::fprintf(stderr,
                 "%s: unknown --device '%s' (expected cpu, vulkan or "
                 "vulkan://N)\n",
                 kTool, options.device.c_str());
    return 2;
  }
  if (jobs < 1 || timeout < 1) {
    std::fprintf(stderr, "%s: --jobs and --timeout must be positive\n", kTool);
    return 2;
  }

  std::vector<Case> cases;
  for (const std::string &path : paths) {
    if (!collectCases(path, cases)) {
      std::fprintf(stderr, "%s: %s: no test case (model.onnx) found\n", kTool,
                   path.c_str());
      return 2;
    }
  }
  if (int code = checkDevice(options.device))
    return code;
  ExpectationMap expectations;
  if (!expectationsPath.empty()) {
    std::string error = readExpectations(expectationsPath, expectations);
    if (!error.empty()) {
      std::fprintf(stderr, "%s: %s\n", kTool, error.c_str());
      return 2;
    }
  }

  // Initialized once here; the children inherit it. Compiles are
  // single-threaded so that --jobs bounds the cores used.
  const char *compilerArgv[] = {kTool, "--mlir-disable-threading"};
  if (ingot_compiler_error_t *error =
          ingot_compiler_global_initialize(2, compilerArgv)) {
    std::fprintf(stderr, "%s: %s\n", kTool,
                 ingot_compiler_error_message(error));
    ingot_compiler_error_destroy(error);
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  runAll(cases, jobs, timeout, options, verbose);

  // Summary per folder, then the comparison with the expectations.
  std::map<std::string, std::pair<size_t, size_t>> folders;
  size_t passed = 0, failed = 0;
  std::vector<std::string> unexpected;
  for (const Case &c : cases) {
    auto &[folderPassed, folderTotal] =
        folders[c.name.substr(0, c.name.find('/'))];
    ++folderTotal;
    if (c.result.passed) {
      ++folderPassed;
      ++passed;
    }
    if (expectationsPath.empty()) {
      failed += !c.result.passed;
      continue;
    }
    auto it = expectations.find(c.name);
    if (it == expectations.end())
      unexpected.push_back("UNLISTED " + c.name + " (" +
                           (c.result.passed ? "pass" : c.result.category) +
                           ")");
    else if (it->second.pass && !c.result.passed)
      unexpected.push_back("UNEXPECTED FAIL " + c.name + ": " +
                           c.result.category + ": " +
                           firstLine(c.result.reason));
    else if (!it->second.pass && c.result.passed)
      unexpected.push_back("UNEXPECTED PASS " + c.name + " (move it to pass)");
    else if (!it->second.pass && it->second.category != c.result.category)
      std::printf("NOTE %s: expected failure changed category: %s -> %s\n",
                  c.name.c_str(), it->second.category.c_str(),
                  c.result.category.c_str());
  }
  if (!updatePath.empty()) {
    ExpectationMap updated;
    // Cases not run keep their lines.
    if (::access(updatePath.c_str(), F_OK) == 0) {
      std::string error = readExpectations(updatePath, updated);
      if (!error.empty()) {
        std::fprintf(stderr, "%s: %s\n", kTool, error.c_str());
        return 2;
      }
    }
    for (const Case &c : cases)
      updated[c.name] = {c.result.passed, c.result.category};
    std::string error = writeExpectations(updatePath, updated, options.device);
    if (!error.empty()) {
      std::fprintf(stderr, "%s: %s\n", kTool, error.c_str());
      return 2;
    }
    std::printf("wrote %s\n", updatePath.c_str());
  }

  std::printf("\n");
  for (const auto &[folder, counts] : folders)
    std::printf("%s: %zu/%zu passed\n", folder.c_str(), counts.first,
                counts.second);
  for (const std::string &line : unexpected)
    std::printf("%s\n", line.c_str());
  // Without expectations every failure counts; with them, the surprises.
  failed += unexpected.size();
  std::printf("%zu passed, %zu failed\n", passed, failed);
  return failed == 0 || !updatePath.empty() ? 0 : 1;
}
