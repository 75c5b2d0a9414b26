//! Root of the Zig unit tests (`zig build test`).
test {
    _ = @import("ring_test.zig");
}
