/** @odoo-module **/
/* A salesperson opens a blocked customer's quotation, sees why it is
 * blocked, and asks the Collections managers for a release
 * (test_release_tour.py sets up the block and checks the request). */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("credit_collection_sale_release_request", {
    steps: () => [
        {
            content: "The banner says the account is blocked, and why",
            trigger: ".o_collection_block_banner:contains(is blocked for sales):contains(Cheque bounced)",
        },
        {
            content: "Ask for a release",
            trigger: "button[name=action_collection_request_release]",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal div[name=note] textarea",
            run: "edit Long-standing customer: they pay on Friday.",
        },
        {
            content: "Send the request",
            trigger: ".modal button.o_collection_send_request",
            run: "click",
        },
        {
            content: "The order says the release is requested",
            trigger: ".o_collection_block_banner:contains(A release is requested)",
        },
        {
            content: "and so does its thread",
            trigger: ".o-mail-Message:contains(Release requested from the Collections managers)",
        },
    ],
});
