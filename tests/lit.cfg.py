# tests/lit.cfg.py - lit configuration for Ingot's tests.
import os
import lit.formats
from lit.llvm import llvm_config

config.name = "Ingot"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtext", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.ingot_obj_root, "tests")

llvm_config.with_system_environment(["HOME", "TMPDIR", "TMP", "TEMP"])
llvm_config.with_environment(
    "PATH", [config.ingot_tools_dir, config.llvm_tools_dir], append_path=True)
# Deterministic: no user threading or device overrides leak into tests.
config.environment.pop("INGOT_THREADS", None)

config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%ingot_src", config.ingot_src_root))
config.substitutions.append(("%ingot_bin", config.ingot_tools_dir))

if config.ingot_build_compiler:
    config.available_features.add("compiler")

import subprocess
try:
    subprocess.check_call([config.python_executable, "-c", "import onnx, numpy"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config.available_features.add("python-onnx")
except Exception:
    pass

# spirv-val (spirv-tools) validates the SPIR-V the Vulkan target produces.
import shutil
if shutil.which("spirv-val"):
    config.available_features.add("spirv-tools")

# Vulkan: tests marked `REQUIRES: vulkan` need a Vulkan device, found by
# asking the runtime itself (`ingot-run-module --list_devices`).
def _probe_vulkan():
    tool = os.path.join(config.ingot_tools_dir, "ingot-run-module")
    try:
        out = subprocess.run([tool, "--list_devices"], capture_output=True,
                             text=True, timeout=120, env=config.environment)
    except Exception as e:
        return None, "cannot run %s --list_devices: %s" % (tool, e)
    lines = out.stdout.splitlines()
    for line in lines:
        if line.startswith("vulkan://") and "(unusable:" not in line:
            return line, None
    reason = [l for l in lines if l.startswith("vulkan")]
    return None, "; ".join(reason) or "no vulkan line in: " + out.stdout + out.stderr

_vulkan_device, _vulkan_reason = _probe_vulkan()
if _vulkan_device:
    config.available_features.add("vulkan")
else:
    lit_config.note("Vulkan tests (REQUIRES: vulkan) are unsupported: %s"
                    % _vulkan_reason)

# The runtime-only build (-DINGOT_BUILD_COMPILER=OFF) has no ingot-compile or
# ingot-opt: only the runtime tool tests run there.
if not config.ingot_build_compiler:
    config.excludes += ["CAPI", "Codegen", "onnx", "Conversion", "Dialect", "Import",
                        "ModuleWriter", "Pipelines", "e2e"]
