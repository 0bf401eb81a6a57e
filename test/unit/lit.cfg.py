# GoogleTest unit tests, discovered and run by lit alongside the lit suites.
import os

import lit.formats

config.name = "bpflint-unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = os.path.join(config.bpflint_obj_root, "test", "unit")
config.test_exec_root = config.test_source_root
