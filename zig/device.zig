//! Devices (NNG's forwarder between two raw sockets), run by nng_device_aio on NNG's own threads:
//! the device's op completes through the ring like any other operation.
//!
//! NNG 2.0 gives a running device both sockets: closing one fails with EBUSY, and the device closes
//! both when it stops. So closing a device's socket from JavaScript stops the device (its aio is
//! aborted with ECLOSED) and waits for it to finish, which closes both sockets, and the device's Aio
//! resolves with 7 (closed). Stopping the device's Aio (stopAio) stops it the same way.
const std = @import("std");
const nng = @import("nng.zig");
const runtime = @import("runtime.zig");

/// Starts a device between two sockets. Returns the op index, or -(code) when no op is left; a
/// device NNG refuses (not raw, not peers, a socket already closed or in another device) completes
/// its op with NNG's error.
pub fn start(rt: *runtime.Runtime, s1: u32, s2: u32) i32 {
    const op = rt.pool.acquire(rt, .device) orelse return -nng.ENOMEM;
    // Both sockets, so that closing either finds the device (see stopFor).
    op.sock_id = s1;
    op.target_id = s2;
    nng.nng_aio_set_timeout(op.aio, nng.duration_infinite);
    nng.nng_device_aio(op.aio, .{ .id = s1 }, .{ .id = s2 });
    return @intCast(op.index);
}

/// Called when closing socket `sock_id` failed with EBUSY: stops the device that owns it and waits
/// until the device has closed its sockets. Returns whether there was one.
pub fn stopFor(rt: *runtime.Runtime, sock_id: u32) bool {
    for (rt.pool.busyOps()) |index| {
        const op = rt.pool.get(index);
        if (op.kind != .device) continue;
        if (op.sock_id != sock_id and op.target_id != sock_id) continue;
        // The op stays ours until JavaScript drains its completion, which cannot happen while
        // this call runs on the JavaScript thread.
        runtime.stop(op, nng.ECLOSED);
        nng.nng_aio_wait(op.aio);
        return true;
    }
    return false;
}
