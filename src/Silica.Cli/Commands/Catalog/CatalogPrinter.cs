using System.Globalization;
using Silica.Hardware;
using Spectre.Console;

namespace Silica.Cli.Commands.Catalog;

/// <summary>Prints the catalog as tables: devices, instances, or every sourced figure of one entry.</summary>
internal static class CatalogPrinter
{
    public static void Print(Hardware.Catalog catalog)
    {
        var console = AnsiConsole.Console;
        console.MarkupLine("[grey]Dense peaks (no 2:4 sparsity) in TFLOP/s (TOP/s for int8); '-' = unsupported or unpublished; * = what-if entry. " +
            "'silica catalog <id>' shows each figure's source, date and caveats.[/]");
        var devices = new Table().Title("Devices").AddColumns("id", "class", "per", "fp32", "bf16", "fp16", "fp8", "int8", "mem GiB", "GB/s", "W", "interconnect");
        foreach (var d in catalog.Devices)
        {
            devices.AddRow(
                Markup.Escape(d.Id + (d.Hypothetical ? " *" : "")), d.Class.ToString().ToLowerInvariant(), d.Unit,
                Num(d.Peak.Fp32), Num(d.Peak.Bf16), Num(d.Peak.Fp16), Num(d.Peak.Fp8), Num(d.Peak.Int8),
                Num(d.MemoryGiB), Num(d.MemoryBandwidthGBps), Num(d.PowerW),
                Markup.Escape(d.Interconnect is null ? "-" : $"{d.Interconnect.Name} {Num(d.Interconnect.BandwidthGBps)}"));
        }
        console.Write(devices);
        var instances = new Table().Title("Instances").AddColumns("id", "provider", "region", "devices", "vCPUs", "mem GiB", "$/hour", "price as of");
        foreach (var i in catalog.Instances)
        {
            instances.AddRow(
                Markup.Escape(i.Id + (i.Hypothetical ? " *" : "")), Markup.Escape(i.Provider), Markup.Escape(i.Region ?? "-"),
                Markup.Escape($"{i.DeviceCount} x {i.DeviceId}"), i.VCpus.ToString(CultureInfo.InvariantCulture),
                Num(i.MemoryGiB), i.PricePerHour is null ? "unpriced" : Num(i.PricePerHour), Markup.Escape(i.PricePerHour?.Date ?? "-"));
        }
        console.Write(instances);
    }

    public static void PrintEntry(Hardware.Catalog catalog, string id)
    {
        var console = AnsiConsole.Console;
        var device = catalog.FindDevice(id);
        var instance = catalog.FindInstance(id);
        IEnumerable<(string Name, SourcedValue Value)> figures = [];
        if (device is not null)
        {
            console.MarkupLine($"[bold]{Markup.Escape(device.Id)}[/]  {Markup.Escape(device.Name)} ({device.Class.ToString().ToLowerInvariant()}, per {device.Unit})" +
                (device.Hypothetical ? $"  [yellow]what-if, based on {Markup.Escape(device.BasedOn ?? "?")}[/]" : ""));
            figures = device.Figures();
            Note(console, device.Note);
        }
        else if (instance is not null)
        {
            console.MarkupLine($"[bold]{Markup.Escape(instance.Id)}[/]  {Markup.Escape(instance.Provider)} {Markup.Escape(instance.Region ?? "")}: " +
                $"{instance.DeviceCount} x {Markup.Escape(instance.DeviceId)}, {instance.VCpus} vCPUs" +
                (instance.Hypothetical ? $"  [yellow]what-if, based on {Markup.Escape(instance.BasedOn ?? "?")}[/]" : ""));
            figures = instance.Figures();
            Note(console, instance.Note);
        }
        var table = new Table().AddColumns("figure", "value", "date", "source", "note");
        foreach (var (name, f) in figures)
        {
            table.AddRow(Markup.Escape(name), Num(f), Markup.Escape(f.Date ?? "-"), Markup.Escape(f.Source ?? "-"), Markup.Escape(f.Note ?? ""));
        }
        console.Write(table);
    }

    private static void Note(IAnsiConsole console, string? note)
    {
        if (note is not null)
        {
            console.MarkupLine($"[grey]{Markup.Escape(note)}[/]");
        }
    }

    private static string Num(SourcedValue? v) => v is null ? "-"
        : v.Value.ToString(v.Value >= 1000 ? "0" : "0.####", CultureInfo.InvariantCulture) + (v.Note is null ? "" : "~");
}
