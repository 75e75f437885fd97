using System.Text;

namespace Sciot.Server.Storage;

/// <summary>
/// Writes CSV rows (<see cref="InferenceCsv"/>'s quoting) to a stream in chunks of about <see cref="FlushChars"/>
/// characters, so an export's memory stays flat whatever the store holds and a client sees the first rows early.
/// </summary>
public sealed class InferenceCsvWriter : IAsyncDisposable
{
    /// <summary>Rows are flushed in chunks of about this many characters.</summary>
    public const int FlushChars = 16 * 1024;

    private readonly StreamWriter _writer;
    private readonly StringBuilder _rows;

    public InferenceCsvWriter(Stream output, string header)
    {
        _writer = new StreamWriter(output, new UTF8Encoding(false), bufferSize: FlushChars, leaveOpen: true);
        _rows = new StringBuilder(header).Append('\n');
    }

    public async ValueTask WriteRowAsync(IEnumerable<object?> values, CancellationToken cancellationToken)
    {
        InferenceCsv.AppendRow(_rows, values);
        if (_rows.Length >= FlushChars)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes what is left (at least the header); call it once after the last row.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writer.WriteAsync(_rows, cancellationToken);
        await _writer.FlushAsync(cancellationToken);
        _rows.Clear();
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
