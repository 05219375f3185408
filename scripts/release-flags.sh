# Sourced by the scripts that build release binaries: the flags a binary to ship is built with
# (README "Benchmarks"), the same for every release build so that switching products does not
# rebuild everything.
# - The Swift runtime and Foundation linked statically: fewer shared libraries to load and
#   relocate at every start.
# - Each function in a section of its own (Swift and C): the link of `switchyard` can then place
#   the functions a quote runs together (Sources/switchyard/startup-order.txt, Package.swift), and
#   a quote process faults in fewer pages of code.
release=(-c release --static-swift-stdlib -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections)
