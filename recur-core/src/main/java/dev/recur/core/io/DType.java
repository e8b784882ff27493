package dev.recur.core.io;

/**
 * The element types Recur reads and writes in safetensors files, under their safetensors names.
 *
 * <p>Floating types load as float32 {@link dev.recur.core.tensor.Tensor}s; integer types and BOOL load as int32
 * {@link dev.recur.core.tensor.IntTensor}s. Other safetensors types (F8 variants, unsigned 16/32/64-bit) are
 * refused with a message naming them.
 */
public enum DType {
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    F64(8, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U8(1, false),
    BOOL(1, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The name in a safetensors header, e.g. {@code "BF16"}. */
    public String safetensorsName() {
        return name();
    }

    /** True for F32, F16, BF16 and F64. */
    public boolean isFloating() {
        return floating;
    }

    /** The type with this safetensors name, or null when Recur does not know it. */
    public static DType fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
