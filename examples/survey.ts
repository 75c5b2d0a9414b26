// surveyor/respondent: the surveyor asks every respondent at once and collects the answers that come
// back within the survey time.
// Run: node_modules/.bin/bun examples/survey.ts
import { cv, pipeNotify, recvAio, reply, sendAio, socket, surveyTime, until } from "../src/index";

const url = "inproc://survey-example";
const SURVEY_MS = 2000;

using surveyor = socket("surveyor", { listen: url });
surveyTime(surveyor, SURVEY_MS); // answers later than this are dropped
using connected = cv();
pipeNotify(surveyor, connected, { add: true });
const names = ["north", "south", "east"];
const respondents = names.map(() => socket("respondent", { dial: url }));
for (let i = 0; i < names.length; i++) if (!until(connected, SURVEY_MS)) throw new Error("the respondents did not connect");

// Each respondent answers one survey.
const answered = respondents.map((r, i) => reply(r, (question: string) => `${names[i]} says ${question === "ready?" ? "yes" : "what?"}`));

await sendAio(surveyor, "ready?");
const answers: string[] = [];
// Each receive gets one answer; after the survey time it would complete with error 5 (timed out).
while (answers.length < names.length) answers.push(await recvAio<string>(surveyor));
console.log(`survey: ${answers.length} answers: ${answers.sort().join("; ")}`);
console.log(`survey: every reply sent: ${(await Promise.all(answered)).every((r) => r === 0)}`);
for (const r of respondents) r.close();
