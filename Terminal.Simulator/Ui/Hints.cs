using Terminal.Firmware.App;
using Terminal.Firmware.Screens;
using Terminal.Transactions;

namespace Terminal.Simulator.Ui;

/// <summary>Plain words for what the terminal shows and what went wrong, each with what to do next.</summary>
public static class Hints
{
    /// <summary>What the person at the simulator can do on this screen.</summary>
    public static string ForScreen(ScreenKind screen, DeskPhase phase, bool wallet)
    {
        switch (screen)
        {
            case ScreenKind.Idle:
                return "Ready. Start a sale: keys 1250A at the keypad, or from the register sale 12.50 mpm (customer scans a QR) or sale 3.20 cpm (you scan the customer's code).";
            case ScreenKind.Qr:
                return wallet
                    ? "The customer scans this QR with the wallet app. Type pay, decline, walkaway (never pays) or abort."
                    : "Scan this QR with a wallet app, or type abort.";
            case ScreenKind.QrUnavailable:
                return "The order code is too long for this screen: the register can show it (SHOW_QR), or type abort.";
            case ScreenKind.ScanCustomer:
                return wallet
                    ? "Scan the customer's payment code: code ok | code decline | code slow | scan <digits>, or abort."
                    : "Scan the customer's payment code (scan <digits>), or abort.";
            case ScreenKind.Processing:
            case ScreenKind.RefundProgress:
                return phase == DeskPhase.Recovering
                    ? "After the restart the terminal first finishes what was open; new sales wait (BUSY)."
                    : "Talking to the payment service... (a slow code waits for the customer: type confirm or decline).";
            case ScreenKind.Result:
            case ScreenKind.RefundResult:
                return "Final result: it stays until acknowledged. Type ok (the OK key) or start the next sale.";
            case ScreenKind.Error:
                return phase == DeskPhase.Scanning
                    ? "That was not a payment code. Scan the right one (code ok), or abort."
                    : "Read the message, then type ok.";
            default:
                return string.Empty;
        }
    }

    /// <summary>The idle screen of a terminal inside a vending machine (<c>--vending</c>).</summary>
    public static string ForVendingIdle(bool mdb) => mdb
        ? "Ready in the machine. A customer chooses: select 12 1.50 (jam first to make the vend fail)."
        : "Ready in the machine. The price is offered in a moment; vend 3.00 is a price button.";

    /// <summary>What to do about an ERR reply.</summary>
    public static string ForError(string? code) => code switch
    {
        "BUSY" => "Wait for the RESULT of the current transaction, or type abort to stop a sale.",
        "NOSALE" => "There is no sale to abort.",
        "NOTFOUND" => "Use the reference of a sale this terminal made (type last to see the latest).",
        "REFUSED" => "The terminal cannot do this now; the text says why.",
        "ARGS" => "Check the command's arguments (help).",
        "NONE" => "No transaction yet: start one with sale 12.50 mpm.",
        "CHECKSUM" or "SYNTAX" or "BADBYTE" or "TOOLONG" => "The line was garbled on the way; send it again.",
        _ => "Try again; if it persists, look at data/terminal.log.",
    };

    /// <summary>What a final result means for the cashier, by status and reason code.</summary>
    public static string ForResult(string outcome, string? reasonCode)
    {
        if (outcome == "SUCCESS")
        {
            return "Done: money moved as shown.";
        }

        if (outcome == "NEEDS_REVIEW")
        {
            return "The outcome could not be confirmed: do not hand over goods; check the payment in the merchant portal (here: records).";
        }

        return reasonCode switch
        {
            "USER_BALANCE_NOT_ENOUGH" => "The customer's wallet declined (not enough balance): ask for another way to pay.",
            "EXPIRED_CODE" or "INVALID_PAYMENT_CODE" => "The payment code was refused: ask the customer to refresh the code in the wallet, then scan again.",
            "TERMINAL_NOT_SENT" => "The terminal could not reach the gateway: nothing was charged. Check the network and the gateway, then try again.",
            "TERMINAL_ABORTED" => "Stopped by the cashier: nothing was charged.",
            "TERMINAL_NO_CODE" => "No code was scanned in time: nothing was charged. Start the sale again.",
            "TERMINAL_ORDER_EXPIRED" or "TERMINAL_CLOSED" or "ORDER_IS_CLOSED" => "The customer did not pay in time; the order was closed. Nothing was charged.",
            "TERMINAL_TIMEOUT" or "TERMINAL_UNRESOLVED" => "No final answer in time: the payment was cancelled, nothing was charged.",
            "TERMINAL_NOT_FOUND" => "No such sale in the terminal's journal.",
            "REFUND_AMOUNT_EXCEED" => "More than what is left to refund on this sale.",
            "CANCEL_WINDOW_EXCEED" => "Too late to void: refund it instead (refund <ref> <amount>).",
            "INVALID_SIGNATURE" or "KEY_NOT_FOUND" or "ACCESS_DENIED" or "UNKNOWN_CLIENT" =>
                "The gateway does not accept this terminal's key: provision the device again (delete data/terminal.json and restart).",
            _ => "Nothing was charged for this attempt.",
        };
    }
}
