using Norton.Models.Serialization;

namespace Norton.Models.Data;

/// <summary>The data readers' view of <see cref="NumpyPickle"/>: the same values, failures as <see cref="InvalidDataException"/>.</summary>
internal static class PlainPickle
{
    /// <summary>Loads a pickle of plain data and numpy arrays.</summary>
    /// <exception cref="InvalidDataException">Not readable, or a Python object inside (inner: <see cref="SerializedDataException"/>).</exception>
    public static object? Load(string path)
    {
        try
        {
            return NumpyPickle.Load(path);
        }
        catch (SerializedDataException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }
}
