using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>
/// NANO006 (P/Invoke) and NANO007 (async). The nano mscorlib has neither DllImportAttribute nor the async
/// builder types, so the samples declare them, as a library that tried to would.
/// </summary>
public class InteropAndAsyncRuleTests
{
    [Fact]
    public void PInvoke_IsRejected_NamingTheMethodAndLibrary()
    {
        using var sample = NanoSample.Compile("""
            namespace System.Runtime.InteropServices
            {
                sealed class DllImportAttribute : Attribute { public DllImportAttribute(string dllName) { } }
            }

            namespace Demo
            {
                class Native
                {
                    [System.Runtime.InteropServices.DllImport("esp32-idf")]
                    static extern int esp_random();
                }
            }
            """);

        var findings = sample.Inspect();

        var finding = Findings.Single(findings, "NANO006", "Demo.Native.esp_random");
        Assert.Contains("'esp32-idf'", finding.Message);
        Findings.OnlyRules(findings, "NANO006");
    }

    [Fact]
    public void InternalCallExtern_IsNotPInvoke()
    {
        // nanoFramework's own native methods are InternalCall externs: not a P/Invoke.
        using var sample = NanoSample.Compile("""
            using System.Runtime.CompilerServices;

            namespace Demo
            {
                class Native
                {
                    [MethodImpl(MethodImplOptions.InternalCall)]
                    static extern int NativeRandom();
                }
            }
            """);

        Findings.None(sample.Inspect());
    }

    [Fact]
    public void AsyncMethod_IsRejected_WithTheLineOfItsBody()
    {
        using var sample = NanoSample.Compile("""
            using System;

            namespace System.Runtime.CompilerServices
            {
                interface IAsyncStateMachine { void MoveNext(); void SetStateMachine(IAsyncStateMachine machine); }
                interface INotifyCompletion { void OnCompleted(Action continuation); }
                interface ICriticalNotifyCompletion : INotifyCompletion { void UnsafeOnCompleted(Action continuation); }
                sealed class AsyncStateMachineAttribute : Attribute { public AsyncStateMachineAttribute(Type type) { } }
                struct AsyncVoidMethodBuilder
                {
                    public static AsyncVoidMethodBuilder Create() { return default(AsyncVoidMethodBuilder); }
                    public void Start<TMachine>(ref TMachine machine) where TMachine : IAsyncStateMachine { machine.MoveNext(); }
                    public void SetStateMachine(IAsyncStateMachine machine) { }
                    public void SetResult() { }
                    public void SetException(Exception e) { }
                    public void AwaitOnCompleted<TAwaiter, TMachine>(ref TAwaiter awaiter, ref TMachine machine)
                        where TAwaiter : INotifyCompletion where TMachine : IAsyncStateMachine { }
                    public void AwaitUnsafeOnCompleted<TAwaiter, TMachine>(ref TAwaiter awaiter, ref TMachine machine)
                        where TAwaiter : ICriticalNotifyCompletion where TMachine : IAsyncStateMachine { }
                }
            }

            namespace Demo
            {
                class Soon { public Awaiter GetAwaiter() { return new Awaiter(); } }

                class Awaiter : System.Runtime.CompilerServices.INotifyCompletion
                {
                    public bool IsCompleted { get { return true; } }
                    public void GetResult() { }
                    public void OnCompleted(Action continuation) { continuation(); }
                }

                class Terminal
                {
                    async void Poll()
                    {
                        await new Soon();
                    }
                }
            }
            """);

        var findings = sample.Inspect();

        var finding = Findings.Single(findings, "NANO007", "Demo.Terminal.Poll");
        Assert.Equal(sample.SourcePath, finding.File);
        Assert.InRange(finding.Line, sample.LineOf("async void Poll()"), sample.LineOf("await new Soon()"));
        // The state machine is named after the method, not reported a second time by NANO007.
        Assert.DoesNotContain(findings, f => f.RuleId == "NANO007" && f.Subject.Contains("<Poll>d__"));
        // The compiler-generated state machine calls the builder's generic methods.
        Assert.Contains(findings, f => f.RuleId == "NANO002" && f.Subject == "Demo.Terminal.<Poll>d__0.MoveNext"
            && f.Message.Contains("compiler-generated: state machine of the iterator or async method Poll in Demo.Terminal"));
    }
}
