import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The user's home: `$HOME` when it is an absolute path, else the password database's. An empty or relative `$HOME`
/// (a stripped environment, `env HOME= agora`) would otherwise put the program under `/` or the current directory.
public func homeDirectory(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let home = environment["HOME"], home.hasPrefix("/") { return home }
    if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir, String(cString: dir).hasPrefix("/") {
        return String(cString: dir)
    }
    return "/"
}

/// Where a person's own state goes (drafts kept while the daemon is away, the list's view): `$XDG_STATE_HOME` when it
/// is an absolute path, else `~/.local/state`.
public func stateDirectory(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg }
    return homeDirectory(environment) + "/.local/state"
}
