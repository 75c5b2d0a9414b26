// Which CPU a prebuilt library is for, so that make pack never puts a library into the wrong
// platform package (e.g. the host build into linux-arm64-gnu when run under qemu).

/**
 * The CPU a shared library was built for, from its header: ELF e_machine, Mach-O cputype, PE
 * machine; null when the format is not recognised.
 */
export function binaryCpu(bytes: Uint8Array): string | null {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 20 && v.getUint32(0) === 0x7f454c46) {
    const machine = v.getUint16(18, true);
    return machine === 0x3e ? "x64" : machine === 0xb7 ? "arm64" : `elf-machine-${machine}`;
  }
  if (bytes.length >= 8 && v.getUint32(0, true) === 0xfeedfacf) {
    const cpu = v.getUint32(4, true);
    return cpu === 0x01000007 ? "x64" : cpu === 0x0100000c ? "arm64" : `macho-cpu-${cpu}`;
  }
  if (bytes.length >= 0x40 && v.getUint16(0) === 0x4d5a) {
    const pe = v.getUint32(0x3c, true);
    if (bytes.length < pe + 6 || v.getUint32(pe) !== 0x50450000) return null;
    const machine = v.getUint16(pe + 4, true);
    return machine === 0x8664 ? "x64" : machine === 0xaa64 ? "arm64" : `pe-machine-${machine}`;
  }
  return null;
}
