//===- flags.cpp - Command-line flags of the runtime tools ------*- C++ -*-===//

#include "runtime/tooling/flags.h"

#include "runtime/base/status.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

using namespace ingot::runtime;

namespace ingot::tooling {

void FlagSet::addString(const char *name, std::string *target,
                        const char *help) {
  flags_.push_back({name, Kind::String, target, help, nullptr});
}

void FlagSet::addList(const char *name, std::vector<std::string> *target,
                      const char *help) {
  flags_.push_back({name, Kind::List, target, help, nullptr});
}

void FlagSet::addInt(const char *name, int64_t *target, const char *help,
                     bool *isSet) {
  flags_.push_back({name, Kind::Int, target, help, isSet});
}

void FlagSet::addDouble(const char *name, double *target, const char *help) {
  flags_.push_back({name, Kind::Double, target, help, nullptr});
}

void FlagSet::addBool(const char *name, bool *target, const char *help) {
  flags_.push_back({name, Kind::Bool, target, help, nullptr});
}

ingot_status_t FlagSet::parse(int argc, char **argv,
                              std::vector<std::string> &positional,
                              std::vector<std::string> *unknown) const {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-') {
      positional.push_back(arg);
      continue;
    }
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    size_t equals = body.find('=');
    std::string name = body.substr(0, equals);
    bool hasValue = equals != std::string::npos;
    std::string value = hasValue ? body.substr(equals + 1) : "";
    const Flag *flag = nullptr;
    for (const Flag &candidate : flags_)
      if (name == candidate.name)
        flag = &candidate;
    if (!flag) {
      if (unknown) {
        unknown->push_back(arg);
        continue;
      }
      return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                        "unknown flag '%s' (see --help)", arg.c_str());
    }
    if (flag->kind == Kind::Bool) {
      bool *target = static_cast<bool *>(flag->target);
      if (!hasValue || value == "true" || value == "1")
        *target = true;
      else if (value == "false" || value == "0")
        *target = false;
      else
        return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                          "flag --%s expects true or false, not '%s'",
                          flag->name, value.c_str());
      continue;
    }
    if (!hasValue)
      return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                        "flag --%s needs a value: --%s=<value>", flag->name,
                        flag->name);
    switch (flag->kind) {
    case Kind::String:
      *static_cast<std::string *>(flag->target) = value;
      break;
    case Kind::List:
      static_cast<std::vector<std::string> *>(flag->target)->push_back(value);
      break;
    case Kind::Int: {
      char *end = nullptr;
      errno = 0;
      long long parsed = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end || errno == ERANGE)
        return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                          "flag --%s expects an integer, not '%s'", flag->name,
                          value.c_str());
      *static_cast<int64_t *>(flag->target) = parsed;
      if (flag->isSet)
        *flag->isSet = true;
      break;
    }
    case Kind::Double: {
      char *end = nullptr;
      double parsed = std::strtod(value.c_str(), &end);
      if (value.empty() || *end || !std::isfinite(parsed))
        return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                          "flag --%s expects a number, not '%s'", flag->name,
                          value.c_str());
      *static_cast<double *>(flag->target) = parsed;
      break;
    }
    case Kind::Bool:
      break;
    }
  }
  return nullptr;
}

std::string FlagSet::help() const {
  std::string result;
  for (const Flag &flag : flags_) {
    std::string left = std::string("  --") + flag.name;
    if (flag.kind != Kind::Bool)
      left += "=<value>";
    if (left.size() < 32)
      left.append(32 - left.size(), ' ');
    else
      left += "\n" + std::string(32, ' ');
    result += left + flag.help + "\n";
  }
  return result;
}

} // namespace ingot::tooling
