import Foundation

setvbuf(stdout, nil, _IOFBF, 1 << 16)
let status = Main.run(Array(CommandLine.arguments.dropFirst()))
fflush(stdout)
exit(status)
