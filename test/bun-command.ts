// The command that starts another Bun process in tests: this Bun's own binary, behind
// BUN_NNG_TEST_EXEC_PREFIX when set. `make test-arm64` runs the suite under qemu-user with Bun's
// arm64 binary; the kernel there cannot execute an arm64 binary by itself (no binfmt_misc), so child
// processes are started through the same emulator (BUN_NNG_TEST_EXEC_PREFIX=qemu-aarch64-static).
export const BUN_COMMAND: readonly string[] = [
  ...(process.env.BUN_NNG_TEST_EXEC_PREFIX ?? "").split(" ").filter(Boolean),
  process.execPath,
];
