import json, sys, time, anyio
sys.path.insert(0,'/tmp/jx')
from exp import rows
from cadenza.providers.registry import resolve
from cadenza.settings import Settings
from cadenza.providers.base import CompletionRequest, Message
from cadenza.requirements.judge import markers_for, escape_candidate
from cadenza.prompts import render

FEW = """

Examples of the judgement (other tasks):
Requirement: Keep it short, two sentences at most.
Answer: "The meeting moved to 3 pm. Bring the slides. I will book the room."
Does the answer meet the requirement? no (it has three sentences)

Requirement: Write it for a general audience, no technical terms.
Answer: "Your phone keeps a little memory of websites so they open faster next time."
Does the answer meet the requirement? yes

Requirement: Sound enthusiastic.
Answer: "The product launches on Monday. Details are attached."
Does the answer meet the requirement? no (flat and neutral, not enthusiastic)

Requirement: Mention the price.
Answer: "The lamp costs 40 euros and ships in two days."
Does the answer meet the requirement? yes
"""

def req(task, cand, rq, variant):
    m = markers_for(cand)
    system = render("judge_system", begin=m.begin, end=m.end)
    data = render("judge_user", task=task.strip(), begin=m.begin, end=m.end, candidate=escape_candidate(cand))
    choices=("yes","no")
    if variant=='rf':
        user = f"Requirement to check: {rq}\n\n{data.rstrip()}\n\nDoes the candidate answer meet the requirement \"{rq}\"? Answer yes or no."
    elif variant=='fs':
        system += FEW
        user = f"{data.rstrip()}\n\nRequirement: {rq}\n\nDoes the candidate answer meet this requirement? Answer yes or no."
    elif variant=='rffs':
        system += FEW
        user = f"Requirement to check: {rq}\n\n{data.rstrip()}\n\nDoes the candidate answer meet the requirement \"{rq}\"? Answer yes or no."
    elif variant=='rate':
        user = f"{data.rstrip()}\n\nRequirement: {rq}\n\nHow well does the candidate answer meet this requirement, from 1 (not at all) to 5 (completely)? Answer with one digit."
        choices=("1","2","3","4","5")
    return CompletionRequest(messages=(Message("system",system), Message("user", user)), temperature=0.0, seed=0, max_tokens=4, choices=choices)

async def main():
    model = resolve('local:qwen2.5-coder-1.5b', Settings.load())
    out=open('/tmp/jx/out2.jsonl','a')
    t0=time.monotonic()
    for src,id_,task,rq,ans,label in rows():
        res={}
        async def one(key):
            c = await model.complete(req(task, ans, rq, key))
            p=c.choice_probs or {}
            res[key]= p.get('yes') if key!='rate' else (sum(int(k)*v for k,v in p.items())-1)/4
        async with anyio.create_task_group() as tg:
            for v in ('rf','fs','rffs','rate'):
                tg.start_soon(one, v)
        rec=dict(src=src,id=id_,label=label,**res)
        out.write(json.dumps(rec)+"\n"); out.flush()
        print(round(time.monotonic()-t0), rec, flush=True)
if __name__=='__main__': anyio.run(main)
