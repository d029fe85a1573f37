/** @odoo-module **/
/* The customer's page as a customer clicks it, and the dispute page as the
 * person examining the dispute answers it. The Python tests
 * (test_portal_tours.py) set up the ledger and check what was written. */

import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

/** Set a date input to its minimum (the server's today) plus ``days``. */
function dateAfterMin(input, days) {
    const day = new Date(`${input.min}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + days);
    input.value = day.toISOString().slice(0, 10);
    input.dispatchEvent(new Event("change", {bubbles: true}));
}

/** Choose a small text file in a file input, as the file picker would. */
function chooseFile(input, name, text) {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, {type: "text/plain"}));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
}

/** The steps that open one of the page's forms. */
function openForm(button, modal) {
    return [
        {content: "Open the form", trigger: button, run: "click"},
        {content: "The form is shown", trigger: `${modal}.show .modal-body`},
    ];
}

/** The steps that send the form and wait for the page's answer. */
function sendForm(modal, outcome) {
    return [
        {
            content: "Send",
            trigger: `${modal}.show button[type=submit]`,
            run: "click",
        },
        {content: "The page answers", trigger: outcome},
    ];
}

/** The steps of a promise of ``amount`` on the first invoice, in a week. */
function promiseOnFirstInvoice(amount) {
    return [
        ...openForm(".o_collection_open_promise", "#collection_promise"),
        {
            content: "Only the first invoice",
            trigger: "#collection_promise .form-check:eq(1) input",
            run: "uncheck",
        },
        {
            content: `Promise ${amount}`,
            trigger: "#collection_promise #promise_amount",
            run: `edit ${amount}`,
        },
        {
            content: "Paid in a week",
            trigger: "#collection_promise #promise_date",
            run() {
                dateAfterMin(this.anchor, 7);
            },
        },
    ];
}

tours.add("credit_collection_portal_promise", {
    steps: () => [
        {content: "The open invoices are listed", trigger: "table.o_collection_items"},
        // More than is due on the invoice: refused on the page.
        ...promiseOnFirstInvoice(99999),
        ...sendForm("#collection_promise", ".o_collection_error"),
        ...promiseOnFirstInvoice(1200),
        {
            content: "A word for the collector",
            trigger: "#collection_promise #promise_comment",
            run: "edit Paid with our next payment run.",
        },
        ...sendForm("#collection_promise", ".o_collection_done"),
        {
            content: "The promise is on the page",
            trigger: ".o_collection_promises td:contains(1,200.00)",
        },
        {content: "No error left", trigger: "body:not(:has(.o_collection_error))"},
    ],
});

tours.add("credit_collection_portal_dispute", {
    steps: () => [
        ...openForm(".o_collection_open_dispute", "#collection_dispute"),
        {
            content: "Not the first invoice",
            trigger: "#collection_dispute .form-check:eq(0) input",
            run: "uncheck",
        },
        {
            content: "What is wrong",
            trigger: "#collection_dispute #dispute_type",
            run: "selectByLabel Delivery",
        },
        {
            content: "The disputed amount",
            trigger: "#collection_dispute #dispute_amount",
            run: "edit 120",
        },
        {
            content: "What happened",
            trigger: "#collection_dispute #dispute_description",
            run: "edit Two boxes arrived broken.",
        },
        {
            content: "A photo of the boxes",
            trigger: "#collection_dispute #dispute_attachments",
            run() {
                chooseFile(this.anchor, "broken-boxes.txt", "Two boxes, crushed.");
            },
        },
        ...sendForm("#collection_dispute", ".o_collection_done"),
        {
            content: "The dispute is on the page",
            trigger: ".o_collection_disputes li:contains(Delivery)",
        },
    ],
});

tours.add("credit_collection_portal_plan", {
    steps: () => [
        ...openForm(".o_collection_open_plan", "#collection_plan"),
        {
            content: "Four monthly instalments",
            trigger: "#collection_plan #plan_count",
            run: "edit 4",
        },
        ...sendForm("#collection_plan", ".o_collection_done"),
        {
            content: "The proposed schedule: a down payment and four instalments",
            trigger: ".o_collection_plans ul li:nth-child(5):last-child",
        },
    ],
});

tours.add("credit_collection_portal_message", {
    steps: () => [
        ...openForm(".o_collection_open_message", "#collection_message"),
        {
            content: "The message",
            trigger: "#collection_message #message_body",
            run: "edit Our accountant is away until Monday.",
        },
        ...sendForm("#collection_message", ".o_collection_done"),
    ],
});

tours.add("credit_collection_portal_pay", {
    steps: () => [
        {
            content: "Pay the first invoice",
            trigger: "table.o_collection_items tbody tr:eq(0) .o_collection_pay",
            run: "click",
        },
        {
            content: "The invoice's payment form opens",
            trigger: "#pay_with.show .o_payment_form",
        },
        {
            content: "The demo provider",
            trigger: "#pay_with input[name=o_payment_radio][data-provider-code=demo]",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "#pay_with button[name=o_payment_submit_button]:not(:disabled)",
            run: "click",
        },
        {
            content: "Back on the invoice, paid",
            trigger: ".o_portal_sidebar .text-bg-success:contains(Paid)",
        },
    ],
});

tours.add("credit_collection_dispute_answer", {
    steps: () => [
        {content: "The dispute is shown", trigger: ".o_dispute_answer h3"},
        {
            content: "A credit note is proposed",
            trigger: "#answer_kind",
            run: "select credit_note",
        },
        {
            content: "Why",
            trigger: ".o_dispute_answer textarea[name=body]",
            run: "edit The driver noted the damage: credit the two boxes.",
        },
        {
            content: "The delivery note",
            trigger: ".o_dispute_answer input[name=attachments]",
            run() {
                chooseFile(this.anchor, "delivery-note.txt", "Two boxes damaged.");
            },
        },
        {
            content: "Answer",
            trigger: ".o_dispute_answer button[type=submit]",
            run: "click",
        },
        {content: "The answer is recorded", trigger: ".o_dispute_answer .alert-success"},
        {
            content: "It is in the discussion",
            trigger: ".o_dispute_answer div:contains(credit the two boxes)",
        },
    ],
});
