// Nothing to compile: the declaration in include/CLibFuzzer.h is all Swift needs.
#include "CLibFuzzer.h"
