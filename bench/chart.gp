# SPDX-License-Identifier: GPL-2.0
# Cost relative to plain routing per case (bench/run passes dat= and png=).
set terminal pngcairo size 1600,600 font ",10"
set output png
set termoption noenhanced
set title "ipvs-ng benchmark: guest instructions (icount time) relative to plain routing"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set ylabel "cost / plain routing"
set yrange [0.95:*]
set grid ytics
set xtics rotate by -25 noenhanced
set key top left
plot dat using 2:xtic(1) title "stock ip_vs" lc rgb "#999999", \
     '' using 3 title "ipvs-ng (ours)" lc rgb "#2060c0", \
     1 notitle lc rgb "black" dt 2
