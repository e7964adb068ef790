using System.Security.Cryptography;
using Terminal.Countertop.Pin;
using Terminal.Payments.Engine;
using Terminal.Tests.Engine;
using Xunit;

namespace Terminal.Tests.Countertop;

/// <summary>
/// The menu PIN: the portable PBKDF2 against .NET's, the configuration text, and the vault's lock as an attacker at
/// the keypad meets it (wrong tries counted in durable storage before the answer, a growing wait that a reboot
/// cannot shorten).
/// </summary>
public sealed class PinTests
{
    // Any key: the hash keys a copy with the PIN (IMac.WithKey), as the device's native HMAC does.
    private static readonly PortableMac Mac = new(new byte[32]);

    [Theory]
    [InlineData("1234", 1)]
    [InlineData("0000", 2)]
    [InlineData("98765432", 1000)]
    [InlineData("4711", 2000)]
    public void The_hash_is_pbkdf2_hmac_sha256_as_dotnet_computes_it(string pin, int iterations)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(PinHash.SaltSize);
        byte[] ours = new byte[PinHash.HashSize];
        PinHash.Derive(Mac, pin, salt, iterations, ours);

        byte[] reference = Rfc2898DeriveBytes.Pbkdf2(System.Text.Encoding.ASCII.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, 32);
        Assert.Equal(reference, ours);
    }

    [Fact]
    public void The_configuration_text_round_trips_and_malformed_text_is_refused_with_its_reason()
    {
        byte[] salt = Enumerable.Range(0, 16).Select(i => (byte)(i * 7)).ToArray();
        byte[] hash = new byte[32];
        PinHash.Derive(Mac, "2468", salt, 10, hash);
        string text = PinHash.Format(10, salt, hash);
        byte[] salt2 = new byte[16];
        byte[] hash2 = new byte[32];
        Assert.Equal(10, PinHash.Parse(text, salt2, hash2, out string? problem));
        Assert.Null(problem);
        Assert.Equal(salt, salt2);
        Assert.Equal(hash, hash2);

        foreach ((string bad, string reason) in new[]
        {
            ("2468", "must start with"),
            ("pbkdf2-sha256$10$" + Convert.ToHexString(salt), "separated by $"),
            ("pbkdf2-sha256$0$" + Convert.ToHexString(salt) + "$" + Convert.ToHexString(hash), "iterations"),
            ("pbkdf2-sha256$99999999$" + Convert.ToHexString(salt) + "$" + Convert.ToHexString(hash), "iterations"),
            ("pbkdf2-sha256$1x$" + Convert.ToHexString(salt) + "$" + Convert.ToHexString(hash), "iterations"),
            ("pbkdf2-sha256$10$" + Convert.ToHexString(salt)[2..] + "$" + Convert.ToHexString(hash), "salt"),
            ("pbkdf2-sha256$10$" + Convert.ToHexString(salt) + "$" + Convert.ToHexString(hash)[..62] + "zz", "hash"),
        })
        {
            Assert.Equal(-1, PinHash.Parse(bad, salt2, hash2, out problem));
            Assert.Contains(reason, problem);
        }
    }

    [Fact]
    public void Five_wrong_tries_lock_the_menu_for_a_growing_time_and_a_reboot_does_not_shorten_it()
    {
        var storage = new MemoryStorage();
        PinVault vault = Vault(storage, "1357", 0);
        for (int i = 1; i < PinVault.FreeTries; i++)
        {
            Assert.Equal(PinCheck.Wrong, vault.Check("0000", 0));
        }

        Assert.Equal(PinCheck.Locked, vault.Check("0001", 0));
        Assert.Equal(PinCheck.Locked, vault.Check("1357", 29999)); // even the right PIN is not looked at
        Assert.Equal(1, vault.LockedForMs(29999));

        Assert.Equal(PinCheck.Locked, vault.Check("0002", 30000)); // sixth wrong try: 60 s
        Assert.Equal(60000, vault.LockedForMs(30000));

        // Power cycle: the count was stored before the answer; the wait starts again in full.
        PinVault rebooted = Vault(storage, "1357", 5);
        Assert.Equal(6, rebooted.WrongTries);
        Assert.Equal(60000, rebooted.LockedForMs(5));
        Assert.Equal(PinCheck.Locked, rebooted.Check("1357", 60004));
        Assert.Equal(PinCheck.Accepted, rebooted.Check("1357", 60005));
        Assert.Equal(0, Vault(storage, "1357", 0).WrongTries);
    }

    [Fact]
    public void A_brute_force_at_the_keypad_gets_few_tries_a_day()
    {
        PinVault vault = Vault(new MemoryStorage(), "9274", 0);
        long now = 0;
        int tries = 0;
        for (int guess = 0; guess < 10000 && now < 86_400_000; guess++)
        {
            now += vault.LockedForMs(now) + 1000; // the attacker waits out every lock, then types for a second
            PinCheck check = vault.Check(guess.ToString("D4"), now);
            Assert.NotEqual(PinCheck.Accepted, check);
            tries++;
        }

        // 5 free tries, then 30 s, 60 s, ... up to an hour each: about 30 tries a day out of 10,000 PINs.
        Assert.InRange(tries, 20, 40);
        Assert.Equal(PinVault.MaxLockMs, PinVault.LockMs(tries));
    }

    [Fact]
    public void A_pin_changed_in_the_menu_replaces_the_configured_one_across_reboots()
    {
        var storage = new MemoryStorage();
        PinVault vault = Vault(storage, "1111", 0);
        Assert.False(vault.Change("12"));
        Assert.False(vault.Change("12a4"));
        Assert.True(vault.Change("86420"));

        PinVault rebooted = Vault(storage, "1111", 0);
        Assert.Equal(PinCheck.Wrong, rebooted.Check("1111", 0));
        Assert.Equal(PinCheck.Accepted, rebooted.Check("86420", 0));
    }

    [Fact]
    public void Without_a_pin_the_menu_stays_closed_and_a_failed_write_still_counts_the_try()
    {
        Assert.Equal(PinCheck.NotSet, Vault(new MemoryStorage(), null, 0).Check("1234", 0));

        var storage = new MemoryStorage { FailWrites = true };
        PinVault vault = Vault(storage, "5555", 0);
        for (int i = 1; i < PinVault.FreeTries; i++)
        {
            Assert.Equal(PinCheck.Wrong, vault.Check("1234", 0));
        }

        Assert.Equal(PinCheck.Locked, vault.Check("1234", 0));
        Assert.False(vault.Change("2222"));
    }

    internal static string Configured(string pin, int iterations = 10)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(PinHash.SaltSize);
        byte[] hash = new byte[32];
        PinHash.Derive(Mac, pin, salt, iterations, hash);
        return PinHash.Format(iterations, salt, hash);
    }

    private static PinVault Vault(MemoryStorage storage, string? pin, long now)
    {
        var vault = new PinVault(storage, Mac, new FakeRandom(), null!);
        vault.Load(pin == null ? null! : Configured(pin), now);
        return vault;
    }
}
