using System.Text;

namespace KubeHa.Lab.Sim;

/// <summary>
/// The protocol buffers wire format, as much as /openapi/v2 needs: varint booleans and length-delimited strings and
/// nested messages (a nested message is written into its own writer, then added as bytes).
/// </summary>
internal sealed class ProtobufWriter
{
    private readonly MemoryStream buffer = new();

    public ProtobufWriter String(int field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return this;
        return Bytes(field, Encoding.UTF8.GetBytes(value));
    }

    public ProtobufWriter Bool(int field, bool value)
    {
        if (!value) return this;
        Varint((ulong)field << 3);
        Varint(1);
        return this;
    }

    /// <summary>A nested message; written even when empty, so the reader sees it present.</summary>
    public ProtobufWriter Message(int field, ProtobufWriter message) => Bytes(field, message.ToArray());

    public byte[] ToArray() => buffer.ToArray();

    private ProtobufWriter Bytes(int field, byte[] value)
    {
        Varint(((ulong)field << 3) | 2);
        Varint((ulong)value.Length);
        buffer.Write(value);
        return this;
    }

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }
}
