import json, sys, time, anyio
from cadenza.providers.registry import resolve
from cadenza.settings import Settings
from cadenza.providers.base import CompletionRequest, Message
from cadenza.requirements.judge import markers_for, escape_candidate
from cadenza.prompts import render

def rows():
    out=[]
    for l in open('/work/main/benchmarks/data/judge_calibration.jsonl'):
        r=json.loads(l); out.append(('own',r['id'],r['task'],r['requirement'],r['answer'],r['label']))
    for l in open('/work/shared/benchmarks/requirements-ood/requirements.jsonl'):
        r=json.loads(l)
        if r['kind']!='judged': continue
        for i,a in enumerate(r['answers']):
            out.append(('ood',f"{r['id']}.{i}",r['task'],r['requirement'],a['text'],a['passes']))
    return out

Q = {
 'meet': "Requirement: {r}\n\nDoes the candidate answer meet this requirement? Answer yes or no.",
 'break': "Requirement: {r}\n\nDoes any part of the candidate answer go against this requirement? Answer yes or no.",
}
def req(task, cand, rq, q, with_task=True):
    m = markers_for(cand)
    system = render("judge_system", begin=m.begin, end=m.end)
    user = render("judge_user", task=(task if with_task else "(not given)").strip(), begin=m.begin, end=m.end, candidate=escape_candidate(cand))
    return CompletionRequest(messages=(Message("system",system), Message("user", f"{user.rstrip()}\n\n{Q[q].format(r=rq)}")), temperature=0.0, seed=0, max_tokens=4, choices=("yes","no"))

async def main():
    model = resolve('local:qwen2.5-coder-1.5b', Settings.load())
    out=open('/tmp/jx/out.jsonl','a')
    t0=time.monotonic()
    for src,id_,task,rq,ans,label in rows():
        res={}
        async def one(key, r):
            c = await model.complete(r)
            res[key]=(c.choice_probs or {}).get('yes')
        async with anyio.create_task_group() as tg:
            for q in Q:
                for wt in (True, False):
                    tg.start_soon(one, f"{q}{'' if wt else '_nt'}", req(task, ans, rq, q, wt))
        rec=dict(src=src,id=id_,label=label,**res)
        out.write(json.dumps(rec)+"\n"); out.flush()
        print(round(time.monotonic()-t0), rec, flush=True)
if __name__=="__main__": anyio.run(main)
