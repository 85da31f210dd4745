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

# The runtime-only build (-DINGOT_BUILD_COMPILER=OFF) has no ingot-compile or
# ingot-opt: only the runtime tool tests run there.
if not config.ingot_build_compiler:
    config.excludes += ["CAPI", "Codegen", "onnx", "Conversion", "Dialect", "Import",
                        "ModuleWriter", "e2e"]
