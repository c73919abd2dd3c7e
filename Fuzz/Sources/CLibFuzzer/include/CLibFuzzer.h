// libFuzzer's own driver, in the runtime that `-sanitize=fuzzer` links (LLVM's FuzzerInterface.h).
//
// On Linux SwiftPM links an executable's `main` to `<Target>_main` (so tests can link executables); each fuzz target
// defines that with `@_cdecl` and hands over to libFuzzer through this, instead of relying on libFuzzer's `main`.
#ifndef AGORA_CLIBFUZZER_H
#define AGORA_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
