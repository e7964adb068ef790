using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>What portable code may use: nothing here is reported.</summary>
public class CleanAssemblyTests
{
    [Fact]
    public void DelegatesEventsLambdasSwitchInterpolationAndExceptions_Pass()
    {
        using var sample = NanoSample.Compile("""
            using System;
            using System.Collections;

            namespace Demo
            {
                public delegate void Changed(object sender, int value);

                public enum Mode { Idle, Busy }

                public class CounterException : Exception
                {
                    public CounterException(string message) : base(message) { }
                }

                public class Counter
                {
                    private static readonly byte[] Table = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18 };
                    private readonly ArrayList _log = new ArrayList();
                    private readonly int[][] _rows = new int[2][];

                    public event Changed OnChanged;

                    public event EventHandler Ticked;

                    public int Value { get; private set; }

                    public Mode Mode { get; set; }

                    public void Add(int amount)
                    {
                        int before = Value;
                        Changed record = (sender, value) => { _log.Add(before + value); };
                        Value += amount;
                        record(this, Value);
                        OnChanged?.Invoke(this, Value);
                        Ticked?.Invoke(this, EventArgs.Empty);
                        _rows[0] = new int[] { before, Value };
                    }

                    public string Describe(string command)
                    {
                        switch (command)
                        {
                            case "add": return "adds";
                            case "sub": return "subtracts";
                            case "mul": return "multiplies";
                            case "div": return "divides";
                            case "clr": return "clears";
                            case "shw": return "shows";
                            case "hlp": return "helps";
                            case "ver": return "versions";
                            default: throw new CounterException($"unknown command '{command}' at {Value:D4} in {Mode}");
                        }
                    }

                    public long Sum()
                    {
                        long sum = 0;
                        try
                        {
                            foreach (byte b in Table)
                            {
                                sum += b;
                            }
                        }
                        catch (ArgumentException e)
                        {
                            throw new CounterException("bad table: " + e.Message);
                        }
                        finally
                        {
                            _log.Clear();
                        }

                        return sum;
                    }
                }
            }
            """);

        Findings.None(sample.Inspect());
    }
}
