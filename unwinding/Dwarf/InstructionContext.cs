namespace Collector.Unwinding.Dwarf;

/// <summary>
/// What executing call-frame instructions needs from the CIE and the section: the factors, the return address
/// column, the state DW_CFA_restore goes back to, and how DW_CFA_set_loc's operand is encoded.
/// </summary>
internal readonly record struct InstructionContext(
    ulong CodeAlignment,
    long DataAlignment,
    ulong ReturnAddressRegister,
    FrameState InitialState,
    byte AddressEncoding,
    PointerBases Bases);
