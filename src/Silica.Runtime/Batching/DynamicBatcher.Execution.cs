using System.Diagnostics;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Batching;

/// <summary>The batch workers: take a batch, copy rows in, run, split rows out.</summary>
public sealed partial class DynamicBatcher
{
    private long _batches;
    private long _requests;
    private long _rows;
    private long _paddingRows;
    private long _rejectedFull;
    private long _rejectedTimeout;
    private long _rejectedInvalid;
    private long _canceled;
    private long _failed;
    private long _batchTicksEwma;

    private async Task WorkerLoopAsync(BatchWorker worker)
    {
        while (true)
        {
            int count;
            TimeSpan wait;
            PendingRequest? expired;
            lock (_lock)
            {
                if (worker.RunningInline)
                {
                    // Woken (a stale delay timer, or a stop) while a caller runs a batch on this worker's session:
                    // park again; the caller signals the loop when it hands the worker back.
                    worker.Signal.Arm();
                    count = 0;
                    wait = Timeout.InfiniteTimeSpan;
                    expired = null;
                }
                else
                {
                    count = TryTakeBatch(worker, out wait, out expired);
                    if (count == 0)
                    {
                        if (_stopping && _head is null)
                        {
                            break;
                        }
                        worker.Signal.Arm();
                        worker.IsWaiting = true;
                    }
                }
            }
            FailExpired(expired);
            if (count > 0)
            {
                Execute(worker, count);
                continue;
            }
            if (wait != Timeout.InfiniteTimeSpan)
            {
                worker.WakeAfter(wait);
            }
            await worker.Signal.WaitAsync().ConfigureAwait(false);
        }
    }

    private void Execute(BatchWorker worker, int count)
    {
        var batch = worker.Batch;
        var started = _time.GetTimestamp();
        var rows = 0;
        for (var i = 0; i < count; i++)
        {
            // After this no cancellation callback can be running or start, so completing is safe.
            batch[i].Registration.Dispose();
            rows += batch[i].Rows;
        }
        var size = PaddedSize(rows);
        try
        {
            StageInputs(worker, count, size);
            StageOutputs(worker, size);
            worker.Session.Run(worker.InputTensors, worker.OutputTensors);
        }
        catch (Exception e)
        {
            Interlocked.Add(ref _failed, count);
            Interlocked.Increment(ref _batches);
            for (var i = 0; i < count; i++)
            {
                var r = batch[i];
                batch[i] = null!;
                r.Fail(e);
            }
            return;
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _requests, count);
        Interlocked.Add(ref _rows, rows);
        Interlocked.Add(ref _paddingRows, size - rows);
        var elapsed = _time.GetElapsedTime(started).Ticks;
        var ewma = Volatile.Read(ref _batchTicksEwma);
        Volatile.Write(ref _batchTicksEwma, ewma == 0 ? elapsed : ((ewma * 7) + elapsed) / 8);
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var r = batch[i];
            batch[i] = null!;
            InferenceResponse response;
            try
            {
                response = SplitRows(worker, offset, r.Rows, size, _time.GetElapsedTime(r.EnqueuedAt, started));
            }
            catch (Exception e)
            {
                r.Fail(e);
                continue;
            }
            finally
            {
                offset += r.Rows;
            }
            r.Complete(response);
        }
    }

    private void StageInputs(BatchWorker worker, int count, int size)
    {
        var batch = worker.Batch;
        Span<long> shape = stackalloc long[8];
        for (var j = 0; j < _layout.Inputs.Count; j++)
        {
            var first = batch[0].Inputs[j];
            var s = first.Rank <= shape.Length ? shape[..first.Rank] : new long[first.Rank];
            first.Shape.CopyTo(s);
            s[0] = size;
            var staged = BatchWorker.Stage(worker.InputTensors, j, _layout.Inputs[j], s);
            var dest = staged.Bytes;
            var at = 0;
            for (var i = 0; i < count; i++)
            {
                var src = batch[i].Inputs[j].Bytes;
                src.CopyTo(dest[at..]);
                at += src.Length;
            }
            // Padding rows are zeros: any value is computed and discarded, zeros cannot produce NaN traps.
            dest[at..].Clear();
        }
    }

    private void StageOutputs(BatchWorker worker, int size)
    {
        Span<long> shape = stackalloc long[8];
        for (var k = 0; k < _layout.Outputs.Count; k++)
        {
            var dims = _layout.OutputDims[k];
            var s = dims.Length + 1 <= shape.Length ? shape[..(dims.Length + 1)] : new long[dims.Length + 1];
            s[0] = size;
            for (var a = 0; a < dims.Length; a++)
            {
                var d = dims[a];
                s[a + 1] = d.Known >= 0 ? d.Known : worker.InputTensors[d.Input].Shape[d.Axis];
            }
            BatchWorker.Stage(worker.OutputTensors, k, _layout.Outputs[k], s);
        }
    }

    private InferenceResponse SplitRows(BatchWorker worker, int rowOffset, int rows, int size, TimeSpan queueTime)
    {
        var outputs = new Tensor[_layout.Outputs.Count];
        Span<long> shape = stackalloc long[8];
        for (var k = 0; k < outputs.Length; k++)
        {
            var staged = worker.OutputTensors[k];
            var s = staged.Rank <= shape.Length ? shape[..staged.Rank] : new long[staged.Rank];
            staged.Shape.CopyTo(s);
            s[0] = rows;
            var rowBytes = staged.ByteLength / size;
            Debug.Assert(rowBytes * size == staged.ByteLength);
            var t = Tensor.Rent(staged.ElementType, s);
            staged.Bytes.Slice(rowOffset * rowBytes, rows * rowBytes).CopyTo(t.Bytes);
            outputs[k] = t;
        }
        return new InferenceResponse(_layout.Outputs, outputs, size, queueTime);
    }
}
