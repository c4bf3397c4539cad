namespace Collector.Unwinding.Dwarf;

/// <summary>
/// What a CIE tells its FDEs: alignment factors, which column is the return address, how the FDE's addresses are
/// encoded, whether it carries augmentation data, whether its frames are signal frames ('S'), and the row its
/// initial instructions produce (the state DW_CFA_restore returns to).
/// </summary>
internal readonly record struct CommonInformationEntry(
    ulong CodeAlignment,
    long DataAlignment,
    int ReturnAddressRegister,
    byte FdePointerEncoding,
    bool HasAugmentationData,
    bool IsSignalFrame,
    FrameState InitialState);
