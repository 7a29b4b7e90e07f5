// Package sim is the pushpull engine: an agent-based model of a market in
// which brands compete for customers on a social graph with push (broadcast
// advertising), pull (content and engagement platforms customers seek out)
// and trust (honesty, consistency, owning mistakes).
//
// # State
//
// A Market holds one replicate. Every customer has an attention capacity
// (brand messages it can process a day) and a need rate (purchase occasions
// a day), both drawn once from gamma distributions, and the brand it uses
// now, if any. For every brand it has flags (aware, opted in, blocked,
// bought), trust evidence r and s (Josang & Ismail's beta reputation:
// trust = (r+1)/(r+s+2)), an expected quality, irritation, engagement (how
// close it orbits the brand, 0 to 1) and a Status: none, customer,
// advocate, detractor or churned. State is stored as one slice per field,
// customer-major, so that a day streams through memory.
//
// # A day
//
// Customers update synchronously: what a customer hears today is the word
// its neighbours sent at the end of yesterday, so the order in which
// customers are processed is never a hidden parameter.
//
// Step plans the brands' day (planBrands: planMistakes, planPush) and
// runs every chunk of customers through the submodels in this order, one
// function each (stepChunk lists them):
//
//  1. drawNeeds: which customers have a purchase occasion today.
//  2. hearNeighbours, arrive: messages arrive: the word and posts
//     neighbours sent yesterday, push impressions (Poisson, mean push.rate,
//     or spread over the opted-in when push.targeting is "opt_in"), content
//     the customer pulls (visits in proportion to its engagement, and
//     searches on a need) and the brand's content met through partners.
//  3. attend, ration: at most the customer's capacity is processed, in the
//     order pulled content, peers and partners, opted-in push, unsolicited
//     push; the tier that overflows is shared among its messages by
//     systematic sampling; the rest is ignored and counted (push as wasted).
//  4. learn: an unaware customer becomes aware with probability equal to
//     the sum of the recall chances of the messages it processed (capped at
//     1), the discrete form of the Bass hazard p + qF. Aware customers gain
//     trust evidence weighted by source (peer > partner > content >
//     opted-in push > broadcast push) and move their expectation toward
//     what brands claim and toward what peers report.
//  5. engage, irritate, optIn: content draws customers into the brand's
//     orbit; unsolicited push irritates, and past a threshold the customer
//     blocks the brand for good; engaged customers may opt in.
//  6. shop: a customer with a need may choose among the brands it knows
//     and has not blocked (choose, a multinomial logit on trust, expected
//     quality, engagement, irritation and loyalty, against an outside
//     option), buy and experience it (buy, experience: no worse than
//     expected, within a tolerance, satisfies and may make an advocate;
//     worse may make a detractor). Switching brands churns the old one; a
//     customer who did not buy its brand again may churn with a daily
//     hazard that grows with detraction, irritation and lost trust.
//  7. speak: voices not renewed may fall silent; a brand's mistake reaches
//     the customers who meet it and the news of a hidden mistake found out
//     every aware customer who hears it (meetMistakes); engaged customers
//     post content; advocates and detractors send their word for tomorrow.
//  8. fade, tally: evidence, irritation and engagement fade, and the
//     chunk's state is counted; tallyDay sums the chunks into the day's
//     metrics.
//
// # Randomness and parallelism
//
// Customers are split into chunks of ChunkSize. Each chunk draws from its
// own PCG stream seeded from (seed, replicate, day, chunk), and brand-level
// events from a stream of (seed, replicate, day), so results are identical
// for any number of workers. A chunk's day runs in phases (needs, arrivals,
// attention, processing, choices and churn, the end of the day), each over
// the whole chunk and, where brands do not interact, one brand at a time;
// state is stored brand by brand, so that such a phase reads its customers
// in order. A day allocates nothing. Rare events cost in proportion to how
// often they happen: trials that share one chance across a chunk are
// decided by geometric countdowns, and trials whose chance varies by
// customer (a need, opting in, churning) by thinning, a countdown at a
// bound on the chance whose hits are kept with the ratio of the customer's
// chance to it. Content visits, Poisson with a mean that varies by
// customer, are the events of one Poisson process laid along the chunk,
// each customer owning a stretch as long as its mean. All of these give
// exactly the distributions of drawing each trial or count on its own.
// The draws themselves (the PCG generator, Poisson, gamma, the ziggurat
// exponential, countdowns and thinned trials) are in sim/internal/draw.
//
// # Parameters
//
// Params holds every coefficient; ParamDocs documents each one with its
// unit, range and source, or marks it as an assumption. RunReplicates runs
// replicates in parallel and reports each day through a callback; the
// engine never prints, reads files or knows about terminals.
package sim
